using System.Net;
using System.Text;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Text.Normalization;

namespace PocketTts.Tests.Server;

/// <summary>Pause markers, natural pauses and normalisation through both HTTP APIs, streamed as generated.</summary>
public sealed class PauseTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<short[]> SpeechPcmAsync(string extraJson)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync("v1/audio/speech", new StringContent(
            $$"""{"model":"tts-1","voice":"tiny","response_format":"pcm","seed":7,{{extraJson}}}""", Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return AudioDecoding.Pcm16(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_marker_comes_out_as_its_silence_and_equals_the_library_s_generation()
    {
        const string text = "Hello [pause:500ms] there";
        short[] pcm = await SpeechPcmAsync($"\"input\":\"{text}\"");

        pcm.ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync(text)));
        List<int> runs = ZeroRuns(pcm);
        runs.Count.ShouldBe(1);
        runs[0].ShouldBeInRange(12000, 12000 + 480, "500 ms, plus the quietest samples of the 10 ms fades rounding to zero in 16 bits");
    }

    [Fact]
    public async Task Natural_pauses_are_off_by_default_and_a_request_can_turn_them_on()
    {
        short[] plain = await SpeechPcmAsync("\"input\":\"Hi, you there.\"");
        short[] natural = await SpeechPcmAsync("\"input\":\"Hi, you there.\",\"natural_pauses\":true");

        ZeroRuns(natural).ShouldHaveSingleItem().ShouldBeGreaterThanOrEqualTo(3600);
        ZeroRuns(plain).ShouldBeEmpty();
        plain.ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Hi, you there.")));
    }

    [Fact]
    public async Task Normalisation_can_be_turned_off_per_request()
    {
        // The tiny model comes from --config, so it has no language: give the server English rules explicitly.
        await using TestServer english = await TestServer.StartAsync(o => o with { Generation = o.Generation with { TextNormalizer = TextNormalizers.English } });
        async Task<short[]> PcmAsync(string extra)
        {
            using HttpResponseMessage response = await english.Http.PostAsync("v1/audio/speech", new StringContent(
                $$"""{"model":"tts-1","voice":"tiny","response_format":"pcm","seed":7,"input":"I have 3 cats."{{extra}}}""", Encoding.UTF8, "application/json"));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return AudioDecoding.Pcm16(await response.Content.ReadAsByteArrayAsync());
        }

        short[] spoken = await PcmAsync("");
        short[] literal = await PcmAsync(",\"normalize\":false");

        spoken.ShouldBe(AudioDecoding.ToPcm16(await english.ExpectedAsync("I have three cats.")));
        literal.ShouldBe(AudioDecoding.ToPcm16(await english.ExpectedAsync("I have 3 cats.")));
    }

    [Fact]
    public async Task A_request_can_choose_the_normalisation_language()
    {
        // The tiny model comes from --config, so it has no language: without the field its text is spoken as written.
        using HttpResponseMessage french = await _server.Http.PostAsync("v1/audio/speech", new StringContent(
            """{"model":"tts-1","voice":"tiny","response_format":"pcm","seed":7,"input":"J'ai 3 chats.","normalize_language":"french"}""", Encoding.UTF8, "application/json"));
        french.StatusCode.ShouldBe(HttpStatusCode.OK);
        AudioDecoding.Pcm16(await french.Content.ReadAsByteArrayAsync()).ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("J'ai trois chats.")));

        using HttpResponseMessage unknown = await _server.Http.PostAsync("v1/audio/speech", new StringContent(
            """{"model":"tts-1","voice":"tiny","input":"Hi.","normalize_language":"klingon"}""", Encoding.UTF8, "application/json"));
        (await unknown.ShouldBeOpenAiErrorAsync(400, "Unknown language 'klingon'", "normalize_language")).GetProperty("code").GetString().ShouldBe("invalid_value");
    }

    [Fact]
    public async Task A_malformed_marker_is_a_400_in_openai_s_shape_on_both_apis()
    {
        using HttpResponseMessage speech = await _server.Http.PostAsync("v1/audio/speech", new StringContent(
            """{"model":"tts-1","voice":"tiny","input":"Wait [pause:soon] now"}""", Encoding.UTF8, "application/json"));
        (await speech.ShouldBeOpenAiErrorAsync(400, "Malformed pause marker \"[pause:soon]\"", "input")).GetProperty("code").GetString().ShouldBe("invalid_pause_marker");

        using HttpResponseMessage tts = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Wait <break time=\"-1s\"/> now")));
        await tts.ShouldBeOpenAiErrorAsync(400, "is negative", "input");
    }

    [Fact]
    public async Task The_reference_route_takes_natural_pauses_as_a_form_field()
    {
        using HttpResponseMessage plain = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Hi, you."), ("seed", "7")));
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
        ZeroRuns(AudioDecoding.Wav(await plain.Content.ReadAsByteArrayAsync())).ShouldBeEmpty();

        using HttpResponseMessage natural = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Hi, you."), ("natural_pauses", "true"), ("seed", "7")));
        natural.StatusCode.ShouldBe(HttpStatusCode.OK);
        ZeroRuns(AudioDecoding.Wav(await natural.Content.ReadAsByteArrayAsync())).ShouldHaveSingleItem();

        using HttpResponseMessage bad = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Hi."), ("natural_pauses", "maybe")));
        await bad.ShouldBeOpenAiErrorAsync(400, "natural_pauses must be true or false", "natural_pauses");
    }

    private static List<int> ZeroRuns<T>(T[] samples) where T : System.Numerics.INumber<T>
    {
        var runs = new List<int>();
        for (int i = 0; i < samples.Length; i++)
        {
            int start = i;
            while (i < samples.Length && T.IsZero(samples[i]))
                i++;
            if (i - start >= 100)
                runs.Add(i - start);
        }
        return runs;
    }
}
