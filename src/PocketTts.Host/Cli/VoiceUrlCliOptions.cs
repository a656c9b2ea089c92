using System.CommandLine;
using PocketTts.Hub;
using PocketTts.Voices;

namespace PocketTts.Host.Cli;

/// <summary>
/// Options that bound the fetching of voices given by URL, shared by <c>generate</c>, <c>export-voice</c> and
/// <c>serve</c> (where a request's <c>voice_url</c> makes the server fetch what a client names).
/// </summary>
internal static class VoiceUrlCliOptions
{
    public static readonly Option<bool> AllowPrivate = new("--allow-private-voice-urls")
    {
        Description = "Let voice URLs reach loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local, CGNAT and other non-public addresses. Off by default: such URLs are refused, also through redirects.",
    };

    public static readonly Option<double> MaxMb = new("--max-voice-url-mb")
    {
        Description = "Largest voice file fetched from a URL, in MiB.",
        DefaultValueFactory = _ => DownloadPolicy.DefaultMaxBytes / (1024.0 * 1024),
    };

    /// <summary>Every option, in the order help lists them.</summary>
    public static IEnumerable<Option> All => [AllowPrivate, MaxMb];

    /// <summary>The policy voice URLs are fetched within.</summary>
    /// <exception cref="UsageException">The size is not positive.</exception>
    public static DownloadPolicy Read(ParseResult parse)
    {
        double mb = parse.GetValue(MaxMb);
        if (!(mb > 0 && double.IsFinite(mb)))
            throw new UsageException($"--max-voice-url-mb must be a positive number of MiB (got {mb}).");
        return VoiceDownloads.Policy(parse.GetValue(AllowPrivate), (long)(mb * 1024 * 1024));
    }
}
