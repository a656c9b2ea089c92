using System.Text.Json;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>stream_format "sse", read as a raw event stream.</summary>
public sealed class SseTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<List<JsonElement>> EventsAsync(string format)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Streaming events.", format, extra: new { stream_format = "sse" }));
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        string text = await response.Content.ReadAsStringAsync();
        text.ShouldEndWith("\n\n");
        var events = new List<JsonElement>();
        foreach (string block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            block.ShouldStartWith("data: ");
            events.Add(JsonDocument.Parse(block["data: ".Length..]).RootElement.Clone());
        }
        return events;
    }

    [Fact]
    public async Task Pcm_deltas_decode_to_the_models_output_then_done_carries_usage()
    {
        List<JsonElement> events = await EventsAsync("pcm");
        short[] expected = AudioDecoding.ToPcm16(await _server.ExpectedAsync("Streaming events."));

        events.Count.ShouldBeGreaterThan(2, "one delta per 80 ms frame, then done");
        events[..^1].ShouldAllBe(e => e.GetProperty("type").GetString() == "speech.audio.delta");
        byte[] audio = [.. events[..^1].SelectMany(e => Convert.FromBase64String(e.GetProperty("audio").GetString()!))];
        AudioDecoding.Pcm16(audio).ShouldBe(expected);
        events.Count.ShouldBe((expected.Length / 1920) + 1, "every frame is sent as soon as it is decoded");

        JsonElement done = events[^1];
        done.GetProperty("type").GetString().ShouldBe("speech.audio.done");
        JsonElement usage = done.GetProperty("usage");
        usage.GetProperty("input_tokens").GetInt32().ShouldBeGreaterThan(0);
        usage.GetProperty("output_tokens").GetInt32().ShouldBe(expected.Length / 1920);
        usage.GetProperty("total_tokens").GetInt32().ShouldBe(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Opus_deltas_concatenate_to_a_valid_ogg_stream()
    {
        List<JsonElement> events = await EventsAsync("opus");
        byte[] ogg = [.. events[..^1].SelectMany(e => Convert.FromBase64String(e.GetProperty("audio").GetString()!))];
        OggOpusReader.Decode(ogg).Samples.Length.ShouldBe((await _server.ExpectedAsync("Streaming events.")).Length);
    }

    [Fact]
    public async Task Mp3_through_ffmpeg_streams_as_events_too()
    {
        List<JsonElement> events = await EventsAsync("mp3");
        byte[] mp3 = [.. events[..^1].SelectMany(e => Convert.FromBase64String(e.GetProperty("audio").GetString()!))];
        (await AudioDecoding.FfmpegAsync(mp3, "mp3")).Length.ShouldBeGreaterThan(0);
        events[^1].GetProperty("type").GetString().ShouldBe("speech.audio.done");
    }
}
