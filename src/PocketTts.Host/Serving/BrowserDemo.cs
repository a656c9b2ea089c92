using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using PocketTts.Backends;
using PocketTts.Host.Serving.Voices;
using PocketTts.Voices;

namespace PocketTts.Host.Serving;

/// <summary>
/// Hosts a published browser build at <c>/browser/</c> next to the HTTP API, and gives its demo page the server's
/// own model: <c>/browser/model/config.yaml</c>, <c>model.safetensors</c>, <c>tokenizer.model</c> (the files the
/// server loaded) and <c>voice.safetensors</c> (the server's default voice, exported once), which are the page's
/// default URLs. The page then runs the model in the visitor's browser, not on the server.
/// </summary>
internal static class BrowserDemo
{
    public const string Route = "/browser";

    public static void MapBrowserDemo(this WebApplication app, string folder, ModelSource model, VoiceRegistry voices)
    {
        var files = new PhysicalFileProvider(Path.GetFullPath(folder));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Route });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Route,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            // The runtime also fetches files with extensions ASP.NET Core does not map (.dat, .blat).
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
        app.MapGet(Route + "/model/config.yaml", () => Results.File(model.ConfigPath, "application/yaml"));
        app.MapGet(Route + "/model/model.safetensors", () => Results.File(model.WeightsPath, "application/octet-stream", enableRangeProcessing: true));
        app.MapGet(Route + "/model/tokenizer.model", () => Results.File(model.TokenizerPath, "application/octet-stream"));

        var defaultVoice = new Lazy<Task<byte[]>>(async () =>
        {
            VoiceState voice = await voices.GetAsync(null, CancellationToken.None);
            using var bytes = new MemoryStream();
            PocketTtsModel.SaveVoiceState(voice, bytes);
            return bytes.ToArray();
        });
        app.MapGet(Route + "/model/voice.safetensors", async () => Results.File(await defaultVoice.Value, "application/octet-stream"));
    }
}
