using System.Net;
using System.Text;
using PocketTts.Audio.Encoders;
using PocketTts.Config;

namespace PocketTts.Host.Serving;

/// <summary>
/// The page at <c>GET /</c> (embedded <c>Web/index.html</c>) and its icon at <c>GET /favicon.ico</c>. The page is
/// filled in with what this server offers: the language's sample text (as the reference serves it), the language
/// itself (one per server: a model speaks the language it was loaded for) and the response formats it can encode now.
/// </summary>
internal static class WebPage
{
    private static readonly Lazy<string> Template = new(() => Encoding.UTF8.GetString(Resource("index.html")));

    /// <summary>A 32×32 PNG icon in an ICO container (every browser reads that, and it is 183 bytes).</summary>
    public static byte[] Favicon => FaviconBytes.Value;

    private static readonly Lazy<byte[]> FaviconBytes = new(() => Resource("favicon.ico"));

    /// <param name="language">The loaded model's language; null for a model loaded from <c>--config</c>.</param>
    /// <param name="formats">The response formats the server can encode now; wav is selected, since it plays as it streams.</param>
    public static string Render(string? language, IEnumerable<AudioFormat> formats) =>
        Template.Value
            .Replace("DEFAULT_TEXT_PROMPT", WebUtility.HtmlEncode(LanguageCatalog.DefaultText(language)), StringComparison.Ordinal)
            .Replace("MODEL_LANGUAGE", WebUtility.HtmlEncode(language ?? "set by the server's --config model"), StringComparison.Ordinal)
            .Replace("<!--FORMAT_OPTIONS-->", string.Concat(formats.Select(f => $"<option value=\"{f.Name()}\"{(f == AudioFormat.Wav ? " selected" : "")}>{f.Name()}</option>")), StringComparison.Ordinal);

    private static byte[] Resource(string name)
    {
        using Stream stream = typeof(WebPage).Assembly.GetManifestResourceStream("PocketTts.Host.Serving.Web." + name)
            ?? throw new InvalidOperationException($"Web/{name} is missing from the assembly.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
