using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Audio.Encoders;
using PocketTts.Host.Models;
using PocketTts.Host.Serving;
using PocketTts.Host.Serving.Voices;
using PocketTts.Hub;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>Readiness and graceful shutdown: <c>/ready</c> follows loading and draining; SIGTERM lets streams in flight finish.</summary>
public sealed class ReadinessTests
{
    // Five minutes of audio (mostly the pauses: the tiny model's speech ends early), about 14 MB as WAV: more than
    // socket buffers hold while the client does not read.
    private static readonly string LongText = string.Join(' ', Enumerable.Repeat("Keep going. [pause:10s]", 30)) + " The end.";

    [Fact]
    public async Task Until_the_model_is_loaded_ready_is_503_work_is_refused_and_health_answers()
    {
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, DefaultVoice = TinyModel.VoiceState };
        await using WebApplication app = TtsServer.Build(options, new AudioEncoderFactory(null));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(TtsServer.Addresses(app).Single() + "/") };

        using HttpResponseMessage loading = await http.GetAsync("ready");
        loading.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await loading.Content.ReadAsStringAsync()).ShouldBe("""{"status":"loading"}""");
        (await http.GetAsync("health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using HttpResponseMessage refused = await http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Too early.", "wav", voice: null));
        (await refused.ShouldBeOpenAiErrorAsync(503, "still loading")).GetProperty("code").GetString().ShouldBe("model_loading");
        refused.Headers.RetryAfter?.Delta.ShouldNotBeNull();

        TinyModel.Loaded tiny = await TinyModel.GetAsync();
        var voices = new VoiceRegistry(tiny.Model, tiny.Services.GetRequiredService<VoiceResolver>(), tiny.Services.GetRequiredService<HubClient>(), options);
        await voices.InitializeAsync(CancellationToken.None);
        TtsServer.Open(app, tiny.Model, voices);

        using HttpResponseMessage ready = await http.GetAsync("ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("""{"status":"ready"}""");
        (await http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Now.", "wav", voice: null))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await app.StopAsync();
    }

    [Fact]
    public async Task Sigterm_refuses_new_requests_while_the_stream_in_flight_finishes_then_exits()
    {
        await using ServeProcess server = await ServeProcess.StartAsync("--shutdown-timeout", "60");
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        (await http.GetAsync("ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = HttpHelpers.Speech(LongText, "wav", voice: null) };
        using HttpResponseMessage stream = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using Stream audio = await stream.Content.ReadAsStreamAsync();
        var header = new byte[44];
        await audio.ReadExactlyAsync(header); // the stream is in flight; the client stops reading, so it stays so

        server.Signal("TERM");
        HttpStatusCode ready = HttpStatusCode.OK;
        for (int i = 0; i < 200 && ready == HttpStatusCode.OK; i++)
        {
            ready = (await http.GetAsync("ready")).StatusCode;
            await Task.Delay(25);
        }
        ready.ShouldBe(HttpStatusCode.ServiceUnavailable, server.Log);
        using HttpResponseMessage refused = await http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Too late.", "wav", voice: null));
        (await refused.ShouldBeOpenAiErrorAsync(503, "shutting down")).GetProperty("code").GetString().ShouldBe("server_draining");
        (await http.GetAsync("health")).StatusCode.ShouldBe(HttpStatusCode.OK, "liveness holds while it drains");

        using var rest = new MemoryStream();
        await audio.CopyToAsync(rest); // an aborted stream would throw here
        long samples = rest.Length / 2;
        samples.ShouldBeGreaterThan(24000 * 300, "the whole speech arrived, pauses included");
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, server.Log);
        server.Log.ShouldContain("Draining: waiting for 1 generation(s) to finish.");
    }
}
