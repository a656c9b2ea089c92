using System.Net;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Hub;
using PocketTts.Voices;

namespace PocketTts.Tests.Server;

/// <summary>
/// <c>voice_url</c> makes the server fetch what a client names: loopback and private addresses are refused unless the
/// server allows them, other schemes are refused on redirect, and what is not audio is refused, all with a 400.
/// </summary>
public sealed class VoiceUrlTests : IAsyncLifetime
{
    private HostileWebServer _web = null!;

    public async Task InitializeAsync()
    {
        _web = await HostileWebServer.StartAsync();
        _web.Files["ref.wav"] = await File.ReadAllBytesAsync(TinyModel.RefWav);
        _web.Files["page.wav"] = "<html>not audio</html>"u8.ToArray();
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    private static Task<TestServer> StartAsync(bool allowPrivate) =>
        TestServer.StartAsync(o => o with { VoiceUrls = VoiceDownloads.Policy(allowPrivate) });

    private static Task<HttpResponseMessage> TtsAsync(TestServer server, Uri voiceUrl) =>
        server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Hi."), ("voice_url", voiceUrl.AbsoluteUri)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_voice_url_is_refused_by_default_without_a_request(string host)
    {
        await using TestServer server = await StartAsync(allowPrivate: false);
        var url = new UriBuilder(_web.Url("files/ref.wav")) { Host = host }.Uri;

        using HttpResponseMessage response = await TtsAsync(server, url);

        JsonElementCode(await response.ShouldBeOpenAiErrorAsync(400, "--allow-private-voice-urls", "voice_url")).ShouldBe("voice_url_refused");
        _web.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task With_private_voice_urls_allowed_a_wav_url_clones_the_voice()
    {
        await using TestServer server = await StartAsync(allowPrivate: true);

        using HttpResponseMessage response = await TtsAsync(server, _web.Url("files/ref.wav"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(44);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/voice.wav")]
    public async Task A_redirect_to_another_scheme_is_a_400_not_a_500(string target)
    {
        await using TestServer server = await StartAsync(allowPrivate: true);

        using HttpResponseMessage response = await TtsAsync(server, _web.Url("redirect?to=" + Uri.EscapeDataString(target)));

        JsonElementCode(await response.ShouldBeOpenAiErrorAsync(400, "only http and https are followed", "voice_url")).ShouldBe("voice_url_refused");
    }

    [Fact]
    public async Task A_voice_url_that_is_not_audio_is_a_400_and_is_fetched_again_next_time()
    {
        await using TestServer server = await StartAsync(allowPrivate: true);

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            using HttpResponseMessage response = await TtsAsync(server, _web.Url("files/page.wav"));
            JsonElementCode(await response.ShouldBeOpenAiErrorAsync(400, "neither WAV nor MP3 audio nor an exported voice state", "voice_url")).ShouldBe("invalid_audio");
            _web.Requests.ShouldBe(attempt, "a refused file is never cached");
        }
    }

    [Fact]
    public async Task An_unreachable_voice_url_is_a_502_that_does_not_say_why()
    {
        await using TestServer server = await StartAsync(allowPrivate: true);
        Uri closed = HostileWebServer.ClosedPortUrl();

        using HttpResponseMessage response = await TtsAsync(server, closed);

        string message = (await response.ShouldBeOpenAiErrorAsync(502, "could not be reached or did not answer in time", "voice")).GetProperty("message").GetString()!;
        message.ShouldNotContain("refused", Case.Insensitive);
    }

    private static string? JsonElementCode(System.Text.Json.JsonElement error) => error.GetProperty("code").GetString();
}
