using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary><c>/metrics</c>: on for loopback, off elsewhere unless asked, and read by a real Prometheus server.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_are_served_on_loopback_and_elsewhere_only_when_asked()
    {
        await using (TestServer loopback = await TestServer.StartAsync())
        {
            using HttpResponseMessage metrics = await loopback.Http.GetAsync("metrics");
            metrics.StatusCode.ShouldBe(HttpStatusCode.OK);
            string text = await metrics.Content.ReadAsStringAsync();
            text.ShouldContain("pocket_tts_queue_depth{");
            text.ShouldContain("pocket_tts_generations_active{");
        }
        await using (TestServer everywhere = await TestServer.StartAsync(o => o with { Host = "0.0.0.0" }))
            (await everywhere.Http.GetAsync("metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using (TestServer asked = await TestServer.StartAsync(o => o with { Host = "0.0.0.0", Metrics = true }))
            (await asked.Http.GetAsync("metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_are_counted_by_route_format_and_status()
    {
        await using TestServer server = await TestServer.StartAsync();
        (await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hello.", "wav"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hello.", "nope"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await server.WaitIdleAsync();

        // Series, not exact counts: OpenTelemetry listens to the meters by name, so servers of tests running beside this one count too.
        string text = await server.Http.GetStringAsync("metrics");
        text.ShouldMatch("""http_server_request_duration_seconds_count\{[^}]*http_response_status_code="200",http_route="/v1/audio/speech",[^}]*pocket_tts_format="wav"[^}]*\} [1-9]""");
        text.ShouldMatch("""http_server_request_duration_seconds_count\{[^}]*http_response_status_code="400",http_route="/v1/audio/speech"[^}]*\} [1-9]""");
        text.ShouldMatch("""pocket_tts_audio_seconds_total\{[^}]*pocket_tts_format="wav"\} [1-9]""");
    }

    [PrometheusFact]
    public async Task Prometheus_scrapes_the_time_to_first_audio_histogram()
    {
        await using TestServer server = await TestServer.StartAsync();
        foreach (string format in (string[])["wav", "pcm", "wav"])
            (await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hello there.", format))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await server.WaitIdleAsync();

        string folder = Directory.CreateTempSubdirectory("pocket-tts-prometheus-").FullName;
        int port = FreePort();
        File.WriteAllText(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 2s
              scrape_timeout: 2s
            scrape_configs:
              - job_name: pocket-tts
                static_configs:
                  - targets: ["{server.BaseAddress.Authority}"]
            """);
        var start = new ProcessStartInfo(PrometheusFactAttribute.Path)
        {
            ArgumentList = { $"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process prometheus = Process.Start(start)!;
        var log = new LockedWriter();
        prometheus.ErrorDataReceived += (_, line) => log.WriteLine(line.Data);
        prometheus.OutputDataReceived += (_, line) => log.WriteLine(line.Data);
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            double? count = null, pcm = null;
            // At least: OpenTelemetry listens to the meter by name, so servers of tests running beside this one count
            // too, and a scrape taken while they start or stop may miss a series: wait until both are read.
            for (int i = 0; i < 240 && !(count >= 3 && pcm >= 1) && !prometheus.HasExited; i++)
            {
                await Task.Delay(500);
                count = await QueryAsync(http, "sum(pocket_tts_time_to_first_audio_seconds_count)");
                pcm = await QueryAsync(http, """sum(pocket_tts_time_to_first_audio_seconds_count{pocket_tts_format="pcm"})""");
            }
            count.ShouldNotBeNull("Prometheus read the time to first audio: " + log);
            count.Value.ShouldBeGreaterThanOrEqualTo(3);
            pcm.ShouldNotBeNull("Prometheus read the pcm series: " + log).ShouldBeGreaterThanOrEqualTo(1);
            double median = (await QueryAsync(http, "histogram_quantile(0.5, sum by (le) (pocket_tts_time_to_first_audio_seconds_bucket))"))!.Value;
            median.ShouldBeGreaterThan(0);
            median.ShouldBeLessThan(10, "within the histogram's buckets");
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The value of an instant query's single result; null while there is none (not scraped yet, or Prometheus still starting).</summary>
    private static async Task<double?> QueryAsync(HttpClient prometheus, string query)
    {
        try
        {
            using JsonDocument answer = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query)));
            JsonElement result = answer.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
