using System.Diagnostics;

namespace PocketTts.Host.Audio;

/// <summary>
/// The ffmpeg executable the host uses where its own code stops: the server's mp3/aac/flac responses, and voice
/// recordings in formats other than WAV and MP3 (FLAC, OGG/Opus, M4A…), which it converts to a WAV file that the
/// library then reads and resamples like any other.
/// </summary>
internal static class Ffmpeg
{
    /// <summary>Extensions of audio that ffmpeg reads and the library does not (WAV and MP3 need no ffmpeg).</summary>
    public static readonly IReadOnlySet<string> VoiceExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".webm", ".mka", ".aif", ".aiff", ".caf", ".wma",
    };

    /// <summary>The executable named <c>ffmpeg</c> on <paramref name="path"/> (a PATH value), or null.</summary>
    public static string? FindOnPath(string? path)
    {
        foreach (string folder in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string full = Path.Combine(folder, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg");
            if (File.Exists(full))
                return full;
        }
        return null;
    }

    /// <summary>Converts <paramref name="input"/> to a 32-bit float WAV file at <paramref name="output"/>, keeping its rate and channels.</summary>
    /// <exception cref="InvalidDataException">ffmpeg could not read the input; the message has its reason.</exception>
    public static async Task ConvertToWavAsync(string ffmpegPath, string input, string output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ffmpegPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", "-i", input, "-vn", "-c:a", "pcm_f32le", "-f", "wav", "-y", output])
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ffmpegPath}.");
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
        if (process.ExitCode != 0)
            throw new InvalidDataException($"{input}: ffmpeg could not read it as audio: {(await errors).Trim()}");
    }
}
