using System.Diagnostics;
using PocketTts.Host.Cli;
using PocketTts.Tests.Unit.Hub;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>Issue 23: voice recordings in formats only ffmpeg reads are converted through it, and resampled as WAV is.</summary>
public sealed class VoiceFormatTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string RefWav => Path.Combine(RepoPaths.Root, "ref.wav");

    private async Task<string> EncodeAsync(string extension, params string[] codec)
    {
        string output = _host.PathOf("ref" + extension);
        var start = new ProcessStartInfo(FfmpegFactAttribute.Path!) { RedirectStandardError = true };
        foreach (string argument in (string[])["-nostdin", "-loglevel", "error", "-i", RefWav, .. codec, output])
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, errors);
        return output;
    }

    private Task<CliResult> ExportAsync(string audio, string voice, string? path, Dictionary<string, string>? environment = null, params string[] options)
    {
        environment ??= [];
        if (path is not null)
            environment["PATH"] = path;
        return _host.RunAsync(["export-voice", audio, voice, "--config", CliTestHost.TinyConfig, "-q", .. options], environmentOverrides: environment);
    }

    [FfmpegFact]
    public async Task A_flac_recording_gives_the_voice_state_of_the_wav_it_was_made_from()
    {
        // FLAC is lossless and ref.wav is 16-bit PCM, so the samples, and with them the voice state, are identical.
        string flac = await EncodeAsync(".flac");
        string pathVariable = Path.GetDirectoryName(FfmpegFactAttribute.Path)!;

        CliResult fromWav = await ExportAsync(RefWav, _host.PathOf("wav.safetensors"), pathVariable);
        CliResult fromFlac = await ExportAsync(flac, _host.PathOf("flac.safetensors"), pathVariable);

        fromWav.ExitCode.ShouldBe(0, fromWav.ToString());
        fromFlac.ExitCode.ShouldBe(0, fromFlac.ToString());
        File.ReadAllBytes(_host.PathOf("flac.safetensors")).ShouldBe(File.ReadAllBytes(_host.PathOf("wav.safetensors")));
        Directory.GetFiles(Path.GetTempPath(), "pocket-tts-voice-*.wav").ShouldBeEmpty();
    }

    [FfmpegFact]
    public async Task An_opus_recording_is_read_through_ffmpeg_but_without_ffmpeg_the_error_says_what_to_do()
    {
        string opus = await EncodeAsync(".opus", "-c:a", "libopus", "-b:a", "32k");

        CliResult converted = await ExportAsync(opus, _host.PathOf("opus.safetensors"), Path.GetDirectoryName(FfmpegFactAttribute.Path)!);
        CliResult withoutFfmpeg = await ExportAsync(opus, _host.PathOf("none.safetensors"), path: null);

        converted.ExitCode.ShouldBe(0, converted.ToString());
        File.Exists(_host.PathOf("opus.safetensors")).ShouldBeTrue();
        withoutFfmpeg.ExitCode.ShouldBe(1);
        withoutFfmpeg.Error.ShouldBe($"error: {opus}: .opus audio is read through ffmpeg, which was not found on PATH.\nhint: install ffmpeg, or give the recording as WAV or MP3.\n");
    }

    [FfmpegFact]
    public async Task A_flac_recording_by_url_or_on_the_hub_gives_the_voice_state_of_the_wav()
    {
        byte[] flac = await File.ReadAllBytesAsync(await EncodeAsync(".flac"));
        await using HostileWebServer web = await HostileWebServer.StartAsync();
        web.Files["ref.flac"] = flac;
        await using FakeHub hub = await FakeHub.StartAsync();
        hub.Add(new HostedFile("kyutai/tts-voices", "ref.flac", flac, Lfs: true));
        string pathVariable = Path.GetDirectoryName(FfmpegFactAttribute.Path)!;
        Dictionary<string, string> Online() => new() { ["HF_ENDPOINT"] = hub.Endpoint.ToString(), ["HF_HUB_OFFLINE"] = "0" };

        CliResult fromWav = await ExportAsync(RefWav, _host.PathOf("wav.safetensors"), pathVariable);
        CliResult fromUrl = await ExportAsync(web.Url("files/ref.flac").AbsoluteUri, _host.PathOf("url.safetensors"), pathVariable, Online(), "--allow-private-voice-urls");
        CliResult fromHub = await ExportAsync("hf://kyutai/tts-voices/ref.flac", _host.PathOf("hub.safetensors"), pathVariable, Online());

        fromWav.ExitCode.ShouldBe(0, fromWav.ToString());
        fromUrl.ExitCode.ShouldBe(0, fromUrl.ToString());
        fromHub.ExitCode.ShouldBe(0, fromHub.ToString());
        File.ReadAllBytes(_host.PathOf("url.safetensors")).ShouldBe(File.ReadAllBytes(_host.PathOf("wav.safetensors")));
        File.ReadAllBytes(_host.PathOf("hub.safetensors")).ShouldBe(File.ReadAllBytes(_host.PathOf("wav.safetensors")));
    }

    [FfmpegFact]
    public async Task Without_ffmpeg_a_flac_url_is_refused_as_before_and_not_kept()
    {
        await using HostileWebServer web = await HostileWebServer.StartAsync();
        web.Files["ref.flac"] = await File.ReadAllBytesAsync(await EncodeAsync(".flac"));

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            CliResult result = await ExportAsync(web.Url("files/ref.flac").AbsoluteUri, _host.PathOf("none.safetensors"), path: null,
                                                 new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "0" }, "--allow-private-voice-urls");
            result.ExitCode.ShouldBe(CliErrors.Download, "the download was refused");
            result.Error.ShouldContain("its content is not of a kind that was asked for");
            web.Requests.ShouldBe(attempt, "a refused download is not cached");
        }
    }
}
