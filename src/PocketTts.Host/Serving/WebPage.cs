using System.Net;
using PocketTts.Config;

namespace PocketTts.Host.Serving;

/// <summary>The page at <c>GET /</c> (embedded <c>Web/index.html</c>), with the language's sample text filled in, as the reference serves it.</summary>
internal static class WebPage
{
    private static readonly Lazy<string> Template = new(() =>
    {
        using Stream stream = typeof(WebPage).Assembly.GetManifestResourceStream("PocketTts.Host.Serving.Web.index.html")
            ?? throw new InvalidOperationException("The web page is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Render(string? language) =>
        Template.Value.Replace("DEFAULT_TEXT_PROMPT", WebUtility.HtmlEncode(LanguageCatalog.DefaultText(language)), StringComparison.Ordinal);
}
