using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Voices;

namespace PocketTts.Tests.Server;

/// <summary>The reference server's routes: <c>/</c>, <c>/health</c> and <c>POST /tts</c>.</summary>
public sealed class TtsEndpointTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_answers_like_the_reference()
    {
        string body = await _server.Http.GetStringAsync("health");
        JsonDocument.Parse(body).RootElement.GetProperty("status").GetString().ShouldBe("healthy");
    }

    [Fact]
    public async Task The_web_page_has_the_sample_text_filled_in()
    {
        using HttpResponseMessage response = await _server.Http.GetAsync("");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        string html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<textarea id=\"text-input\"");
        html.ShouldNotContain("DEFAULT_TEXT_PROMPT");
    }

    [Fact]
    public async Task Tts_streams_chunked_wav_in_the_default_voice()
    {
        using HttpResponseMessage response = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Hello from the reference route."), ("seed", "3")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType?.MediaType.ShouldBe("audio/wav");
        response.Headers.TransferEncodingChunked.ShouldBe(true);
        response.Content.Headers.ContentDisposition?.FileName.ShouldBe("generated_speech.wav");
        AudioDecoding.Wav(await response.Content.ReadAsByteArrayAsync())
            .ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Hello from the reference route.", seed: 3)));
    }

    [Fact]
    public async Task Tts_clones_an_uploaded_voice()
    {
        byte[] sample = await File.ReadAllBytesAsync(TinyModel.RefWav);
        using HttpResponseMessage response = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "Cloned."), ("voice_wav", sample), ("seed", "1")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        short[] audio = AudioDecoding.Wav(await response.Content.ReadAsByteArrayAsync());
        audio.ShouldBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Cloned.", seed: 1, voice: "ref")), "the upload and the voices folder's ref.wav are the same voice");
        audio.ShouldNotBe(AudioDecoding.ToPcm16(await _server.ExpectedAsync("Cloned.", seed: 1)));
    }

    [Fact]
    public async Task Tts_takes_a_voice_url_over_http_and_a_voice_name()
    {
        // A second server plays the part of a voice repository on the web; it is on loopback, which voice URLs reach
        // only when the server allows private addresses (VoiceUrlTests checks the refusal).
        await using TestServer server = await TestServer.StartAsync(o => o with { VoiceUrls = VoiceDownloads.Policy(allowPrivateAddresses: true) });
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using WebApplication files = builder.Build();
        files.MapGet("/voices/ref.wav", () => Results.File(TinyModel.RefWav, "audio/wav"));
        await files.StartAsync();
        string url = files.Urls.Single() + "/voices/ref.wav";

        using HttpResponseMessage byUrl = await server.Http.PostAsync("tts", HttpHelpers.Form(("text", "By URL."), ("voice_url", url), ("seed", "2")));
        using HttpResponseMessage byName = await server.Http.PostAsync("tts", HttpHelpers.Form(("text", "By URL."), ("voice_url", "ref"), ("seed", "2")));

        byUrl.StatusCode.ShouldBe(HttpStatusCode.OK, await byUrl.Content.ReadAsStringAsync());
        byName.StatusCode.ShouldBe(HttpStatusCode.OK, await byName.Content.ReadAsStringAsync());
        AudioDecoding.Wav(await byUrl.Content.ReadAsByteArrayAsync()).ShouldBe(AudioDecoding.Wav(await byName.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Tts_refuses_both_voices_an_empty_text_and_a_local_path()
    {
        byte[] sample = await File.ReadAllBytesAsync(TinyModel.RefWav);
        using HttpResponseMessage both = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "x"), ("voice_url", "tiny"), ("voice_wav", sample)));
        await both.ShouldBeOpenAiErrorAsync(400, "not both", "voice_wav");

        using HttpResponseMessage empty = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "   ")));
        await empty.ShouldBeOpenAiErrorAsync(400, "text is empty", "text");

        using HttpResponseMessage path = await _server.Http.PostAsync("tts", HttpHelpers.Form(("text", "x"), ("voice_url", "/etc/passwd")));
        await path.ShouldBeOpenAiErrorAsync(400, "voice_url must start with http://, https:// or hf://", "voice_url");

        using HttpResponseMessage json = await _server.Http.PostAsync("tts", HttpHelpers.Speech("x"));
        await json.ShouldBeOpenAiErrorAsync(415, "multipart/form-data");
    }
}
