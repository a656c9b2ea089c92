using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
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

    public static void MapBrowserDemo(this WebApplication app, string folder)
    {
        var files = new PhysicalFileProvider(Path.GetFullPath(folder));
        // onnxruntime-web runs threads only on a cross-origin isolated page; everything the page loads comes from here.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Route))
                CrossOriginIsolation.Apply(context.Response.Headers);
            return next();
        });
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
        // The model loads after the routes are mapped: the handlers look it up when asked (the readiness gate keeps
        // requests away until then).
        app.MapGet(Route + "/model/config.yaml", (SpeechServer server) => Results.File(server.Loaded.Source.ConfigPath, "application/yaml"));
        app.MapGet(Route + "/model/model.safetensors", (SpeechServer server) => Results.File(server.Loaded.Source.WeightsPath, "application/octet-stream", enableRangeProcessing: true));
        app.MapGet(Route + "/model/tokenizer.model", (SpeechServer server) => Results.File(server.Loaded.Source.TokenizerPath, "application/octet-stream"));

        var defaultVoice = new Lazy<Task<byte[]>>(async () =>
        {
            VoiceState voice = await app.Services.GetRequiredService<SpeechServer>().Voices.GetAsync(null, CancellationToken.None);
            using var bytes = new MemoryStream();
            PocketTtsModel.SaveVoiceState(voice, bytes);
            return bytes.ToArray();
        });
        app.MapGet(Route + "/model/voice.safetensors", async () => Results.File(await defaultVoice.Value, "application/octet-stream"));
    }
}
