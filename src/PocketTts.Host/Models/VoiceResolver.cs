using PocketTts.Hub;
using PocketTts.Voices;

namespace PocketTts.Host.Models;

/// <summary>The library's <see cref="VoiceSources"/> for the CLI and the server: its refusals as usage errors.</summary>
internal sealed class VoiceResolver(HubClient hub)
{
    /// <exception cref="UsageException">A voice that does not exist or does not fit the model.</exception>
    public async Task<VoiceState> ResolveAsync(LoadedModel loaded, string voice, DownloadPolicy urlPolicy, CancellationToken cancellationToken)
    {
        try
        {
            return await VoiceSources.ResolveAsync(hub, loaded.Model, loaded.Resolved, voice, urlPolicy, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException { ParamName: "voice" } or FileNotFoundException { FileName: not null } or NotSupportedException)
        {
            throw new UsageException(e.Message, e);
        }
    }
}
