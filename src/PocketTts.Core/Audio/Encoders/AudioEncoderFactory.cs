namespace PocketTts.Audio.Encoders;

/// <summary>
/// Creates the encoder for an audio format: the one output path of the library, <c>generate</c> and the server. wav,
/// pcm and opus are encoded in process; mp3, aac and flac need an ffmpeg executable.
/// </summary>
/// <param name="ffmpegPath">The ffmpeg executable, or null when there is none (see <see cref="FindFfmpeg"/>).</param>
/// <param name="ffmpegHint">How a user of this factory's caller provides ffmpeg, for the error when it is missing.</param>
public sealed class AudioEncoderFactory(string? ffmpegPath, string ffmpegHint = "install it, or put it on PATH")
{
    /// <summary>The ffmpeg executable, or null when none was found.</summary>
    public string? FfmpegPath { get; } = ffmpegPath;

    /// <summary>The formats this factory can encode now.</summary>
    public IEnumerable<AudioFormat> Available => Enum.GetValues<AudioFormat>().Where(f => !f.NeedsFfmpeg() || FfmpegPath is not null);

    /// <summary>The executable named <c>ffmpeg</c> in a folder of <paramref name="pathVariable"/> (a PATH value), or null.</summary>
    public static string? FindFfmpeg(string? pathVariable)
    {
        foreach (string folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string full = Path.Combine(folder, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg");
            if (File.Exists(full))
                return full;
        }
        return null;
    }

    /// <exception cref="UnsupportedException">The format needs ffmpeg and there is none (subject <c>format</c>).</exception>
    public void EnsureAvailable(AudioFormat format)
    {
        if (format.NeedsFfmpeg() && FfmpegPath is null)
        {
            throw new UnsupportedException(
                $"needs ffmpeg, which was not found ({ffmpegHint}). " +
                $"Formats that work now: {string.Join(", ", Available.Select(f => f.Name()))}.",
                "format", format.Name());
        }
    }

    /// <summary>An encoder writing <paramref name="format"/> at <paramref name="sampleRate"/> to <paramref name="output"/>.</summary>
    /// <exception cref="UnsupportedException">The format needs ffmpeg and there is none (subject <c>format</c>).</exception>
    public IAudioEncoder Create(AudioFormat format, Stream output, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureAvailable(format);
        return format switch
        {
            AudioFormat.Wav => new WavEncoder(output, sampleRate),
            AudioFormat.Pcm => new PcmEncoder(output),
            AudioFormat.Opus => new OggOpusEncoder(output, sampleRate),
            _ => new FfmpegEncoder(FfmpegPath!, format, output, sampleRate),
        };
    }
}
