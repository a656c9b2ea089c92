using System.Diagnostics;
using PocketTts.Audio;
using PocketTts.Audio.Encoders;
using PocketTts.Hub;

namespace PocketTts.Host.Audio;

/// <summary>
/// The ffmpeg executable the host uses where its own code stops: the server's mp3/aac/flac responses, and voice
/// recordings in formats other than WAV and MP3 (FLAC, OGG/Opus, M4A…), from a file, a URL or an upload, which it
/// converts to a WAV file that the library then reads and resamples like any other. ffmpeg reads only local files
/// here (<c>-protocol_whitelist file</c>): a playlist or concat file from a URL cannot make it fetch other addresses.
/// </summary>
internal static class Ffmpeg
{
    /// <summary>Extensions of audio that ffmpeg reads and the library does not (WAV and MP3 need no ffmpeg).</summary>
    public static readonly IReadOnlySet<string> VoiceExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".webm", ".mka", ".aif", ".aiff", ".caf", ".wma",
    };

    /// <summary>How long ffmpeg may take to tell whether a download is audio.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How a user of the command line provides ffmpeg, for the error when a format needs it.</summary>
    public const string Hint = "install it, put it on PATH or give its path with --ffmpeg";

    /// <summary>
    /// The encoders of <c>generate</c> and <c>serve</c>: with <paramref name="configuredFfmpeg"/> (<c>--ffmpeg</c>) when
    /// given, else with the ffmpeg on PATH, if any.
    /// </summary>
    /// <exception cref="UsageException"><paramref name="configuredFfmpeg"/> does not exist.</exception>
    public static AudioEncoderFactory Encoders(string? configuredFfmpeg, Func<string, string?> environment)
    {
        if (configuredFfmpeg is null)
            return new AudioEncoderFactory(AudioEncoderFactory.FindFfmpeg(environment("PATH")), Hint);
        if (!File.Exists(configuredFfmpeg))
            throw new UsageException($"--ffmpeg: no such file: {configuredFfmpeg}");
        return new AudioEncoderFactory(Path.GetFullPath(configuredFfmpeg), Hint);
    }

    /// <summary>Converts <paramref name="input"/> to a 32-bit float WAV file at <paramref name="output"/>, keeping its rate and channels.</summary>
    /// <exception cref="InvalidDataException">ffmpeg could not read the input; the message has its reason.</exception>
    public static async Task ConvertToWavAsync(string ffmpegPath, string input, string output, CancellationToken cancellationToken)
    {
        string? errors = await ConvertAsync(ffmpegPath, input, output, cancellationToken);
        if (errors is not null)
            throw new InvalidDataException($"{input}: ffmpeg could not read it as audio: {errors}");
    }

    /// <summary>
    /// A recording's bytes (an upload, a download) as bytes the library reads: unchanged when it reads them itself
    /// (WAV, MP3) or when there is no ffmpeg, else converted by ffmpeg to WAV.
    /// </summary>
    /// <param name="ffmpegPath">The ffmpeg executable, or null.</param>
    /// <param name="bytes">The whole recording.</param>
    /// <param name="name">Names the recording in error messages.</param>
    /// <param name="cancellationToken">Stops ffmpeg.</param>
    /// <exception cref="InvalidDataException">Neither the library nor ffmpeg reads it; the message has ffmpeg's reason.</exception>
    public static async Task<byte[]> ToReadableAsync(string? ffmpegPath, byte[] bytes, string name, CancellationToken cancellationToken)
    {
        if (ffmpegPath is null || AudioFileReader.Recognises(bytes))
            return bytes;
        string folder = Directory.CreateTempSubdirectory("pocket-tts-voice-").FullName;
        try
        {
            string input = Path.Combine(folder, "recording"), output = Path.Combine(folder, "recording.wav");
            await File.WriteAllBytesAsync(input, bytes, cancellationToken);
            string? errors = await ConvertAsync(ffmpegPath, input, output, cancellationToken);
            if (errors is not null)
            {
                throw new InvalidDataException(
                    $"{name}: unrecognised audio format: neither WAV nor MP3, and ffmpeg could not read it either ({errors.Replace(input, "the file", StringComparison.Ordinal)}).");
            }
            return await File.ReadAllBytesAsync(output, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// <paramref name="policy"/>, also accepting a download that ffmpeg decodes as audio, so that a voice URL may name
    /// any recording ffmpeg reads; the policy unchanged when there is no ffmpeg.
    /// </summary>
    public static DownloadPolicy AcceptingWhatItReads(DownloadPolicy policy, string? ffmpegPath)
    {
        if (ffmpegPath is null || policy.AcceptContent is not { } accept)
            return policy;
        return policy with { AcceptContent = path => accept(path) || DecodesAsAudio(ffmpegPath, path) };
    }

    /// <summary>Runs the conversion; null when it succeeded, else ffmpeg's error output.</summary>
    private static async Task<string?> ConvertAsync(string ffmpegPath, string input, string output, CancellationToken cancellationToken)
    {
        using Process process = Start(ffmpegPath, input, ["-vn", "-c:a", "pcm_f32le", "-f", "wav", "-y", output]);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        Task<string> discarded = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await discarded;
        return process.ExitCode == 0 ? null : (await errors).Trim();
    }

    /// <summary>Whether ffmpeg decodes the file's first second as audio (a download policy's check, so synchronous).</summary>
    private static bool DecodesAsAudio(string ffmpegPath, string path)
    {
        using Process process = Start(ffmpegPath, path, ["-vn", "-t", "1", "-f", "null", "-"]);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        Task<string> discarded = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(ProbeTimeout))
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
        Task.WaitAll(errors, discarded);
        return process.ExitCode == 0;
    }

    private static Process Start(string ffmpegPath, string input, string[] outputArguments)
    {
        var start = new ProcessStartInfo(ffmpegPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file", "-i", input, .. outputArguments])
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ffmpegPath}.");
    }
}
