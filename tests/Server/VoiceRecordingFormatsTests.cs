using System.Diagnostics;
using System.Net;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Hub;
using PocketTts.Voices;

namespace PocketTts.Tests.Server;

/// <summary>
/// Voice recordings in formats only ffmpeg reads (FLAC, Ogg/Opus), sent to the server as an upload, a registered voice
/// or a <c>voice_url</c>: converted through the server's ffmpeg and cloned as WAV is; without ffmpeg, a 400 that says so.
/// </summary>
public sealed class VoiceRecordingFormatsTests : IAsyncLifetime
{
    private const string Text = "Cloned from FLAC.";

    private HostileWebServer _web = null!;
    private byte[] _flac = null!;

    public async Task InitializeAsync()
    {
        _flac = await EncodeAsync("flac");
        _web = await HostileWebServer.StartAsync();
        _web.Files["ref.flac"] = _flac;
        _web.Files["page.flac"] = "<html>not audio</html>"u8.ToArray();
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    private static Task<TestServer> StartAsync(string? ffmpeg = "/usr/bin/ffmpeg") =>
        TestServer.StartAsync(o => o with { VoiceUrls = VoiceDownloads.Policy(allowPrivateAddresses: true) }, ffmpeg);

    [Fact]
    public async Task A_flac_upload_or_url_clones_the_voice_of_the_wav_it_was_made_from()
    {
        await using TestServer server = await StartAsync();
        // FLAC is lossless and ref.wav is 16-bit PCM: the same samples, so the same voice as the voices folder's ref.wav.
        short[] expected = AudioDecoding.ToPcm16(await server.ExpectedAsync(Text, seed: 2, voice: "ref"));

        using HttpResponseMessage upload = await server.Http.PostAsync("tts", Form(("voice_wav", _flac)));
        using HttpResponseMessage url = await server.Http.PostAsync("tts", Form(("voice_url", _web.Url("files/ref.flac").AbsoluteUri)));

        upload.StatusCode.ShouldBe(HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        AudioDecoding.Wav(await upload.Content.ReadAsByteArrayAsync()).ShouldBe(expected);
        url.StatusCode.ShouldBe(HttpStatusCode.OK, await url.Content.ReadAsStringAsync());
        AudioDecoding.Wav(await url.Content.ReadAsByteArrayAsync()).ShouldBe(expected);
    }

    [Fact]
    public async Task An_opus_recording_registers_as_a_voice()
    {
        await using TestServer server = await StartAsync();
        var registration = new MultipartFormDataContent
        {
            { new StringContent("from-opus"), "name" },
            { new ByteArrayContent(await EncodeAsync("ogg", "-c:a", "libopus", "-b:a", "32k")), "file", "ref.ogg" },
        };

        using HttpResponseMessage created = await server.Http.PostAsync("v1/audio/voices", registration);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        using HttpResponseMessage speech = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hi.", voice: "from-opus"));

        speech.StatusCode.ShouldBe(HttpStatusCode.OK, await speech.Content.ReadAsStringAsync());
        AudioDecoding.Pcm16(await speech.Content.ReadAsByteArrayAsync()).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task What_ffmpeg_cannot_read_either_is_refused_saying_so()
    {
        await using TestServer server = await StartAsync();

        using HttpResponseMessage upload = await server.Http.PostAsync("tts", Form(("voice_wav", "<html>not audio</html>"u8.ToArray())));
        using HttpResponseMessage url = await server.Http.PostAsync("tts", Form(("voice_url", _web.Url("files/page.flac").AbsoluteUri)));

        string message = (await upload.ShouldBeOpenAiErrorAsync(400, "neither WAV nor MP3, and ffmpeg could not read it either", "voice")).GetProperty("message").GetString()!;
        message.ShouldNotContain(Path.GetTempPath(), Case.Sensitive, "ffmpeg's words name the file, not the server's temporary folder");
        await url.ShouldBeOpenAiErrorAsync(400, "nor an exported voice state, and ffmpeg could not read it as audio", "voice_url");
    }

    [Fact]
    public async Task Without_ffmpeg_flac_is_refused_as_audio_the_server_does_not_read()
    {
        await using TestServer server = await StartAsync(ffmpeg: null);

        using HttpResponseMessage upload = await server.Http.PostAsync("tts", Form(("voice_wav", _flac)));
        using HttpResponseMessage url = await server.Http.PostAsync("tts", Form(("voice_url", _web.Url("files/ref.flac").AbsoluteUri)));

        (await upload.ShouldBeOpenAiErrorAsync(400, "unrecognised audio format", "voice")).GetProperty("code").GetString().ShouldBe("invalid_audio");
        (await url.ShouldBeOpenAiErrorAsync(400, "neither WAV nor MP3 audio", "voice_url")).GetProperty("code").GetString().ShouldBe("invalid_audio");
    }

    private static MultipartFormDataContent Form((string Name, object Value) voice) =>
        HttpHelpers.Form(("text", Text), ("seed", "2"), voice);

    /// <summary>ref.wav encoded by ffmpeg into <paramref name="format"/>.</summary>
    private static async Task<byte[]> EncodeAsync(string format, params string[] codec)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["-nostdin", "-loglevel", "error", "-i", TinyModel.RefWav, .. codec, "-f", format, "pipe:1"])
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        using var output = new MemoryStream();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await errors);
        return output.ToArray();
    }
}
