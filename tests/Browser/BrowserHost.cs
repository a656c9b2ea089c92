using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Playwright;
using PocketTts.Host.Cli;
using PocketTts.Host.Serving;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Browser;

/// <summary>
/// Publishes src/PocketTts.Browser once, exports the tiny fixture model's graphs (float32), serves both with the model
/// under <c>model/</c> (the graphs under <c>model/graphs/</c>) from Kestrel on loopback, cross-origin isolated as
/// <c>pocket-tts serve</c> serves the demo, and opens headless Chromium from Debian on it through Playwright (which must
/// never download a browser).
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    private WebApplication? _server;
    private DebianChromium? _chromium;

    public string PublishFolder { get; } = Path.Combine(Path.GetTempPath(), "pocket-tts-browser-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The tiny model's graphs from <c>pocket-tts export-onnx</c>.</summary>
    public string GraphsFolder { get; } = Path.Combine(Path.GetTempPath(), "pocket-tts-browser-graphs-" + Guid.NewGuid().ToString("N")[..8]);

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => _chromium!.Browser;

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public async Task InitializeAsync()
    {
        _chromium = await DebianChromium.LaunchAsync();
        await PublishAsync();
        await ExportGraphsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Use((context, next) =>
        {
            CrossOriginIsolation.Apply(context.Response.Headers);
            return next();
        });
        var types = new FileExtensionContentTypeProvider();
        _server.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(PublishFolder, "wwwroot")),
            ContentTypeProvider = types,
            ServeUnknownFileTypes = true,
        });
        _server.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "Fixtures")),
            RequestPath = "/model",
            ServeUnknownFileTypes = true,
        });
        _server.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(GraphsFolder),
            RequestPath = "/model/graphs",
            ServeUnknownFileTypes = true,
        });
        await _server.StartAsync();
        BaseUrl = _server.Urls.Single().TrimEnd('/') + "/";
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
            await _chromium.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
        foreach (string folder in new[] { PublishFolder, GraphsFolder })
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A new page on the demo, with the runtime started (<c>window.pocketTts</c> set).</summary>
    public async Task<IPage> OpenDemoAsync()
    {
        IPage page = await Browser.NewPageAsync();
        await page.GotoAsync(BaseUrl + "index.html");
        await page.WaitForFunctionAsync("() => window.pocketTts !== undefined", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        return page;
    }

    private async Task ExportGraphsAsync()
    {
        var log = new StringWriter();
        string[] export = ["--backend", "onnx", "export-onnx", "--config", Fixture("tiny/config.yaml"), "--output", GraphsFolder, "-q"];
        int exit = await CliApplication.RunAsync(export, log, log, _ => null);
        if (exit != 0)
            throw new InvalidOperationException($"export-onnx of the tiny model failed ({exit}):\n{log}");
    }

    private async Task PublishAsync()
    {
        string root = FindRoot();
        string project = Path.Combine(root, "src", "PocketTts.Browser", "PocketTts.Browser.csproj");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "-o", PublishFolder, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The publish rebuilds the managed plugin into artifacts/plugins, which the packaging tests' Release builds rewrite.
        using IDisposable buildLock = await RepoBuildLock.AcquireAsync(root, TimeSpan.FromMinutes(30));
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish of the browser build failed:\n{await output}\n{await error}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PocketTts.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"PocketTts.sln not found above {AppContext.BaseDirectory}.");
    }
}
