using System.Net;
using System.Text;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>Admission (429/503 with Retry-After), concurrency, disconnects and timeouts.</summary>
public sealed class LimitsTests
{
    // Long enough that its audio (tens of MB) cannot finish into socket buffers while the client does not read.
    private static readonly string LongText = string.Join(' ', Enumerable.Repeat("This sentence keeps the generator busy for a good while.", 60));

    /// <summary>Starts a generation whose client reads the headers and a few bytes, then stops reading: the slot stays taken.</summary>
    private static async Task<HttpResponseMessage> HoldSlotAsync(TestServer server)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = HttpHelpers.Speech(LongText) };
        HttpResponseMessage response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var first = new byte[100];
        await (await response.Content.ReadAsStreamAsync()).ReadExactlyAsync(first);
        return response;
    }

    [Fact]
    public async Task Beyond_the_queue_the_server_answers_429_with_retry_after()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxConcurrentGenerations = 1, MaxQueuedRequests = 0 });
        using (HttpResponseMessage holder = await HoldSlotAsync(server))
        {
            server.Limiter.Running.ShouldBe(1);
            using HttpResponseMessage refused = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Me too."));
            await refused.ShouldBeOpenAiErrorAsync(429, "The server is busy");
            refused.Headers.RetryAfter?.Delta.ShouldNotBeNull();
            refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        }
        await server.WaitIdleAsync();
        using HttpResponseMessage later = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Now there is room."));
        later.StatusCode.ShouldBe(HttpStatusCode.OK, "the slot is free again once the holder disconnected");
    }

    [Fact]
    public async Task A_request_that_waits_past_the_queue_timeout_gets_503_with_retry_after()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxConcurrentGenerations = 1, MaxQueuedRequests = 1, QueueTimeout = TimeSpan.FromMilliseconds(300) });
        using HttpResponseMessage holder = await HoldSlotAsync(server);
        using HttpResponseMessage refused = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Waiting."));
        await refused.ShouldBeOpenAiErrorAsync(503, "No generation slot became free");
        refused.Headers.RetryAfter?.Delta.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_its_generation()
    {
        await using TestServer server = await TestServer.StartAsync();
        HttpResponseMessage response = await HoldSlotAsync(server);
        server.Limiter.Running.ShouldBe(1);

        response.Dispose(); // closes the connection mid-stream
        await server.WaitIdleAsync();

        server.Limiter.Cancelled.ShouldBe(1);
        server.Limiter.Completed.ShouldBe(0);
    }

    [Fact]
    public async Task A_generation_cut_by_the_request_timeout_is_logged_as_a_timeout()
    {
        var log = new LockedWriter();
        await using TestServer server = await TestServer.StartAsync(o => o with { RequestTimeout = TimeSpan.FromSeconds(3), MaxTextLength = 10_000 }, log: log);
        // A client that reads nothing: the server's write waits on it when the timeout strikes, and Kestrel aborts the
        // connection when that write is cancelled, so the request looks disconnected as well as timed out.
        using HttpResponseMessage response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = HttpHelpers.Speech(LongText + " " + LongText) }, HttpCompletionOption.ResponseHeadersRead);
        await server.WaitIdleAsync();

        log.ToString().ShouldContain("Generation stopped early: it ran past the request timeout");
        log.ToString().ShouldNotContain("the client disconnected");
    }

    [Fact]
    public async Task A_generation_past_the_request_timeout_is_cut_off_and_the_client_sees_an_error()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        using HttpResponseMessage response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = HttpHelpers.Speech(LongText) }, HttpCompletionOption.ResponseHeadersRead);
        Stream body = await response.Content.ReadAsStreamAsync();
        await Should.ThrowAsync<Exception>(async () =>
        {
            var buffer = new byte[4096];
            while (await body.ReadAsync(buffer) > 0)
                await Task.Delay(50); // a slow reader: the generation outlives the timeout
        });
        await server.WaitIdleAsync();
        server.Limiter.Cancelled.ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_clients_each_get_exactly_their_own_audio()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxConcurrentGenerations = 3, MaxQueuedRequests = 8 });
        var requests = Enumerable.Range(0, 6).Select(i => (Text: $"Client number {i} says hello.", Seed: 100 + i)).ToArray();

        byte[][] results = await Task.WhenAll(requests.Select(async r =>
        {
            using HttpResponseMessage response = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech(r.Text, extra: new { seed = r.Seed }));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return await response.Content.ReadAsByteArrayAsync();
        }));

        for (int i = 0; i < requests.Length; i++)
            AudioDecoding.Pcm16(results[i]).ShouldBe(AudioDecoding.ToPcm16(await server.ExpectedAsync(requests[i].Text, requests[i].Seed)), $"client {i}");
        server.Limiter.Completed.ShouldBe(requests.Length);
    }

    [Fact]
    public async Task Generations_run_side_by_side_on_one_model()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxConcurrentGenerations = 2, MaxQueuedRequests = 0 });
        using HttpResponseMessage first = await HoldSlotAsync(server);
        using HttpResponseMessage second = await HoldSlotAsync(server);
        server.Limiter.Running.ShouldBe(2, "no global lock: both generations are admitted and streaming at once");
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_gets_413()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxUploadBytes = 100_000 });
        byte[] big = new byte[300_000];
        using HttpResponseMessage overFile = await server.Http.PostAsync("tts", HttpHelpers.Form(("text", "x"), ("voice_wav", big)));
        await overFile.ShouldBeOpenAiErrorAsync(413, "the limit is 100000", "voice_wav");

        // Beyond the body limit Kestrel enforces (upload limit + form overhead). Kestrel answers 413 from the declared
        // length and closes the connection; a client still sending the body may see the pipe break before it reads the
        // answer, so this one asks first (Expect: 100-continue), as careful clients do, and never sends the body.
        byte[] huge = new byte[3_000_000];
        using var request = new HttpRequestMessage(HttpMethod.Post, "tts") { Content = HttpHelpers.Form(("text", "x"), ("voice_wav", huge)) };
        request.Headers.ExpectContinue = true;
        using HttpResponseMessage overBody = await server.Http.SendAsync(request);
        await overBody.ShouldBeOpenAiErrorAsync(413, "larger than the server accepts");
    }

    [Fact]
    public async Task An_upload_longer_than_the_duration_limit_gets_413()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxUploadDuration = TimeSpan.FromSeconds(1) });
        byte[] sample = await File.ReadAllBytesAsync(TinyModel.RefWav);
        using HttpResponseMessage response = await server.Http.PostAsync("tts", HttpHelpers.Form(("text", "x"), ("voice_wav", sample)));
        await response.ShouldBeOpenAiErrorAsync(413, "the limit is 1 s", "voice");
    }

    [Fact]
    public async Task Text_over_the_length_limit_gets_400()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { MaxTextLength = 20 });
        using HttpResponseMessage response = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech(new string('a', 21)));
        JsonElementAssert(await response.ShouldBeOpenAiErrorAsync(400, "21 characters; the limit is 20", "input"), "string_above_max_length");
    }

    private static void JsonElementAssert(System.Text.Json.JsonElement error, string code) => error.GetProperty("code").GetString().ShouldBe(code);

    [Fact]
    public async Task Without_ffmpeg_the_error_names_the_problem_and_the_formats_that_work()
    {
        await using TestServer server = await TestServer.StartAsync(ffmpeg: null);
        using HttpResponseMessage response = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("x", "mp3"));
        await response.ShouldBeOpenAiErrorAsync(400, "needs ffmpeg", "response_format");
        (await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("x", "aac"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        string body = await (await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("x", "flac"))).Content.ReadAsStringAsync();
        body.ShouldContain("Formats that work now: opus, wav, pcm");

        // Without response_format (OpenAI's default is mp3) such a server answers WAV rather than fail.
        using HttpResponseMessage fallback = await server.Http.PostAsync("v1/audio/speech",
            new StringContent("""{"model":"tts-1","input":"Hi.","voice":"tiny"}""", Encoding.UTF8, "application/json"));
        fallback.Content.Headers.ContentType?.MediaType.ShouldBe("audio/wav");
    }
}
