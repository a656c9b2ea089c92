using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PocketTts.Host.Cli;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Browser;

/// <summary>
/// <c>pocket-tts serve --browser-dir</c> hosts the demo page at /browser/ with the server's own model and default voice
/// as the page's default URLs: the page loads them and speaks, in the browser.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class ServedDemoTests(BrowserHost host) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("pocket-tts-served-demo-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Serve_hosts_the_demo_with_its_own_model_and_voice()
    {
        using var stop = new CancellationTokenSource();
        var log = new LockedWriter();
        var environment = new Dictionary<string, string> { ["HF_HOME"] = Path.Combine(_home, "hf"), ["POCKET_TTS_CACHE"] = Path.Combine(_home, "cache"), ["HF_HUB_OFFLINE"] = "1" };
        Task<int> serve = CliApplication.RunAsync(
            ["serve", "--config", BrowserHost.Fixture("tiny/config.yaml"), "--voice", BrowserHost.Fixture("voice_state.safetensors"),
             "--host", "127.0.0.1", "--port", "0", "--browser-dir", Path.Combine(host.PublishFolder, "wwwroot")],
            new LockedWriter(), log, name => environment.GetValueOrDefault(name), cancellationToken: stop.Token);
        try
        {
            string baseUrl = await WaitForAddressAsync(log, serve);
            using var http = new HttpClient();
            (await http.GetByteArrayAsync(baseUrl + "/browser/model/model.safetensors")).ShouldBe(await File.ReadAllBytesAsync(BrowserHost.Fixture("tiny/model.safetensors")));

            IPage page = await host.Browser.NewPageAsync();
            await page.GotoAsync(baseUrl + "/browser");
            await page.WaitForFunctionAsync("() => window.pocketTts !== undefined", null, new() { Timeout = 120_000 });
            (await page.EvaluateAsync<bool>("() => self.crossOriginIsolated")).ShouldBeTrue("serve sends COOP/COEP for the demo, so onnxruntime-web may use threads");
            await page.ClickAsync("#load");
            await page.WaitForFunctionAsync("() => !document.getElementById('speak').disabled", null, new() { Timeout = 120_000 });
            await page.FillAsync("#text", "Hello from the server's page.");
            await page.ClickAsync("#speak");
            await page.WaitForFunctionAsync("() => document.body.dataset.lastRtf !== undefined", null, new() { Timeout = 120_000 });
            (await page.TextContentAsync("#status") ?? "").ShouldStartWith("Done:");
        }
        finally
        {
            await stop.CancelAsync();
            (await serve).ShouldBe(0, log.ToString());
        }
    }

    private static async Task<string> WaitForAddressAsync(LockedWriter log, Task<int> serve)
    {
        for (int i = 0; i < 1200; i++)
        {
            Match match = ServingLine().Match(log.ToString());
            if (match.Success)
                return match.Groups[1].Value;
            serve.IsCompleted.ShouldBeFalse(log.ToString());
            await Task.Delay(50);
        }
        throw new TimeoutException("serve did not start: " + log);
    }

    [GeneratedRegex(@"Serving Pocket TTS on (http://[0-9.]+:[0-9]+)")]
    private static partial Regex ServingLine();
}
