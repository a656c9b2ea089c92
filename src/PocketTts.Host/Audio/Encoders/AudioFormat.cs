namespace PocketTts.Host.Audio.Encoders;

/// <summary>OpenAI's <c>response_format</c> values.</summary>
internal enum AudioFormat
{
    Mp3,
    Opus,
    Aac,
    Flac,
    Wav,
    Pcm,
}

/// <summary>Names, media types and encoders of the <see cref="AudioFormat"/>s.</summary>
internal static class AudioFormats
{
    /// <summary>The formats in OpenAI's order, by their API names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mp3", "opus", "aac", "flac", "wav", "pcm"];

    public static bool TryParse(string? name, out AudioFormat format)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                format = (AudioFormat)i;
                return true;
            }
        }
        format = default;
        return false;
    }

    public static string Name(this AudioFormat format) => Names[(int)format];

    /// <summary>
    /// The format a file name asks for by its extension (<c>.ogg</c> and <c>.opus</c> are Ogg Opus, <c>.raw</c> and
    /// <c>.pcm</c> headerless samples); null for any other extension, which the reference would write as WAV.
    /// </summary>
    public static AudioFormat? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".wav" or ".wave" => AudioFormat.Wav,
        ".mp3" => AudioFormat.Mp3,
        ".ogg" or ".opus" => AudioFormat.Opus,
        ".aac" => AudioFormat.Aac,
        ".flac" => AudioFormat.Flac,
        ".pcm" or ".raw" => AudioFormat.Pcm,
        _ => null,
    };

    /// <summary>The response's media type; <c>pcm</c> is raw 16-bit little-endian mono samples at 24 kHz, as OpenAI defines it.</summary>
    public static string ContentType(this AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/ogg",
        AudioFormat.Aac => "audio/aac",
        AudioFormat.Flac => "audio/flac",
        AudioFormat.Wav => "audio/wav",
        _ => "audio/pcm",
    };

    /// <summary>Whether the format is encoded by an ffmpeg process rather than in process.</summary>
    public static bool NeedsFfmpeg(this AudioFormat format) => format is AudioFormat.Mp3 or AudioFormat.Aac or AudioFormat.Flac;
}
