namespace PocketTts.Host.Audio.Encoders;

/// <summary>
/// Creates the encoder for an audio format: the one output path of <c>generate</c> and the server. wav, pcm and opus
/// are encoded in process; mp3, aac and flac need ffmpeg, found once at startup (the configured path, else on PATH).
/// </summary>
internal sealed class AudioEncoderFactory(string? ffmpegPath)
{
    /// <summary>The ffmpeg executable, or null when none was found.</summary>
    public string? FfmpegPath { get; } = ffmpegPath;

    public static AudioEncoderFactory Create(string? configuredFfmpeg, Func<string, string?> environment)
    {
        if (configuredFfmpeg is not null)
        {
            if (!File.Exists(configuredFfmpeg))
                throw new UsageException($"--ffmpeg: no such file: {configuredFfmpeg}");
            return new AudioEncoderFactory(Path.GetFullPath(configuredFfmpeg));
        }
        return new AudioEncoderFactory(Ffmpeg.FindOnPath(environment("PATH")));
    }

    /// <summary>Formats this server can produce now.</summary>
    public IEnumerable<AudioFormat> Available => Enum.GetValues<AudioFormat>().Where(f => !f.NeedsFfmpeg() || FfmpegPath is not null);

    /// <exception cref="UnsupportedException">The format needs ffmpeg and none was found (subject <c>format</c>).</exception>
    public void EnsureAvailable(AudioFormat format)
    {
        if (format.NeedsFfmpeg() && FfmpegPath is null)
        {
            throw new UnsupportedException(
                "needs ffmpeg, which was not found (install it, put it on PATH or give its path with --ffmpeg). " +
                $"Formats that work now: {string.Join(", ", Available.Select(f => f.Name()))}.",
                "format", format.Name());
        }
    }

    public IAudioEncoder Create(AudioFormat format, Stream output, int sampleRate)
    {
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
