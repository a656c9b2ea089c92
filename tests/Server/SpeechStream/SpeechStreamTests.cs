using System.Net.WebSockets;
using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server.SpeechStream;

/// <summary>
/// <c>/v1/audio/speech/stream</c> on a real server on loopback, through .NET's <see cref="ClientWebSocket"/>: text sent
/// in pieces is spoken before the input ends, as the whole text would be; flushes end turns; errors come as an event
/// and a close status; a client that goes away stops the generation and frees its slot.
/// </summary>
public sealed class SpeechStreamTests : IAsyncLifetime
{
    // The tiny model's tokenizer packs these four sentences into one chunk of the default 50 tokens: the first chunk is
    // final once a sentence of the second round is complete.
    private const string Sentences = "Hello there! How are you doing today? I hope the weather is nice where you are... "
        + "Let us see how this text gets split into chunks! Is it working? ";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Audio_starts_before_the_text_ends_and_equals_the_whole_text_s()
    {
        string text = Sentences + Sentences + "And that is all.";
        await using SpeechStreamClient client = await SpeechStreamClient.ConnectAsync(_server.BaseAddress);
        await client.SendAsync(new { type = "start", voice = "tiny", response_format = "pcm", seed = 7 });
        foreach (string word in (Sentences + Sentences + "And ").Split(' '))
            await client.SendAsync(new { type = "text", text = word + " " });

        await client.FirstAudio.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await client.SendAsync(new { type = "text", text = "that is all." });
        await client.SendAsync(new { type = "close" });
        await client.CompletionAsync();

        client.CloseStatus.ShouldBe(WebSocketCloseStatus.NormalClosure);
        AudioDecoding.Pcm16(client.Audio).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync(text)));
        var events = client.Events.Select(e => e.Event).ToList();
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(["chunk_started", "chunk_finished", "chunk_started", "chunk_finished", "chunk_started", "chunk_finished", "done"]);
        // The chunk as the sentence splitter makes it (sentences joined by two spaces, as the reference joins them).
        events[0].GetProperty("text").GetString().ShouldBe("Hello there!  How are you doing today?  I hope the weather is nice where you are...  Let us see how this text gets split into chunks!  Is it working?");
        events[0].GetProperty("chunk").GetInt32().ShouldBe(0);
        events[^2].GetProperty("text").GetString().ShouldBe("And that is all.");
        events[^1].GetProperty("frames").GetInt32().ShouldBe(client.Audio.Length / 2 / 1920);
        client.Events[1].AudioBytesBefore.ShouldBeGreaterThan(0, "a chunk's audio comes between its events");
    }

    [Fact]
    public async Task A_flush_speaks_the_turn_and_the_next_text_is_a_new_turn()
    {
        await using SpeechStreamClient client = await SpeechStreamClient.ConnectAsync(_server.BaseAddress);
        await client.SendAsync(new { type = "start", response_format = "pcm" });
        await client.SendAsync(new { type = "text", text = "Hello " });
        await client.SendAsync(new { type = "text", text = "there" });
        await client.SendAsync(new { type = "flush" });

        await client.FirstAudio.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await client.SendAsync(new { type = "text", text = "how are you" });
        await client.SendAsync(new { type = "close" });
        await client.CompletionAsync();

        var started = client.Events.Select(e => e.Event).Where(e => e.GetProperty("type").GetString() == "chunk_started").ToList();
        started.Select(e => (e.GetProperty("turn").GetInt32(), e.GetProperty("chunk").GetInt32(), e.GetProperty("text").GetString()))
            .ShouldBe([(0, 0, "Hello there."), (1, 0, "How are you.")], "each turn is prepared as a text of its own");
    }

    [Theory]
    [InlineData("{\"type\":\"text\",\"text\":\"Hi.\"}", "missing_start")]
    [InlineData("{\"type\":\"start\",\"response_format\":\"midi\"}", "invalid_response_format")]
    [InlineData("{\"type\":\"start\",\"voice\":\"nobody\"}", "voice_not_found")]
    [InlineData("not json", "invalid_json")]
    public async Task A_bad_start_is_an_error_event_then_a_policy_close(string message, string code)
    {
        await using SpeechStreamClient client = await SpeechStreamClient.ConnectAsync(_server.BaseAddress);
        await client.SendRawAsync(message);
        await client.CompletionAsync();

        JsonElement error = client.Events.Single().Event;
        error.GetProperty("type").GetString().ShouldBe("error");
        error.GetProperty("error").GetProperty("code").GetString().ShouldBe(code, error.ToString());
        client.CloseStatus.ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task A_malformed_pause_marker_is_an_error_after_the_audio_before_it()
    {
        await using SpeechStreamClient client = await SpeechStreamClient.ConnectAsync(_server.BaseAddress);
        await client.SendAsync(new { type = "start" });
        await client.SendAsync(new { type = "text", text = "Hello there. [pause:fast] More." });
        await client.SendAsync(new { type = "close" });
        await client.CompletionAsync();

        client.Events[^1].Event.GetProperty("error").GetProperty("code").GetString().ShouldBe("invalid_pause_marker");
        client.CloseStatus.ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task A_turn_over_the_text_limit_is_refused()
    {
        await using var server = await TestServer.StartAsync(options => options with { MaxTextLength = 20 });
        await using SpeechStreamClient client = await SpeechStreamClient.ConnectAsync(server.BaseAddress);
        await client.SendAsync(new { type = "start" });
        await client.SendAsync(new { type = "text", text = "Twelve chars" });
        await client.SendAsync(new { type = "text", text = " and ten.." });
        await client.CompletionAsync();

        client.Events[^1].Event.GetProperty("error").GetProperty("code").GetString().ShouldBe("string_above_max_length");
    }

    [Fact]
    public async Task A_client_that_goes_away_stops_the_generation()
    {
        await using SpeechStreamClient client = await SpeechStreamClient.ConnectAsync(_server.BaseAddress);
        await client.SendAsync(new { type = "start" });
        await client.SendAsync(new { type = "text", text = string.Concat(Enumerable.Repeat(Sentences, 8)) });
        await client.FirstAudio.Task.WaitAsync(TimeSpan.FromMinutes(2));
        long cancelled = _server.Limiter.Cancelled;

        client.Abort();

        await _server.WaitIdleAsync();
        _server.Limiter.Cancelled.ShouldBe(cancelled + 1);
    }

    [Fact]
    public async Task A_plain_get_is_told_to_use_a_websocket()
    {
        using HttpResponseMessage response = await _server.Http.GetAsync("v1/audio/speech/stream");

        ((int)response.StatusCode).ShouldBe(400);
        (await response.Content.ReadAsStringAsync()).ShouldContain("websocket_required");
    }
}
