namespace PocketTts.Host.Serving.Encoders;

/// <summary>
/// Creates the encoder for a response format. wav, pcm and opus are encoded in process; mp3, aac and flac need
/// ffmpeg, found once at startup (the configured path, else on PATH).
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
        return new AudioEncoderFactory(Audio.Ffmpeg.FindOnPath(environment("PATH")));
    }

    /// <summary>Formats this server can produce now.</summary>
    public IEnumerable<AudioFormat> Available => Enum.GetValues<AudioFormat>().Where(f => !f.NeedsFfmpeg() || FfmpegPath is not null);

    /// <exception cref="ApiException">The format needs ffmpeg and none was found.</exception>
    public void EnsureAvailable(AudioFormat format)
    {
        if (format.NeedsFfmpeg() && FfmpegPath is null)
        {
            throw ApiException.BadRequest(
                $"response_format '{format.Name()}' needs ffmpeg, which this server did not find (install it, put it on PATH or start the server with --ffmpeg PATH). " +
                $"Formats that work now: {string.Join(", ", Available.Select(f => f.Name()))}.",
                "response_format", "unsupported_response_format");
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
