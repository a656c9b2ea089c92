namespace PocketTts.Audio.Encoders;

/// <summary>The audio formats speech is delivered in: OpenAI's <c>response_format</c> values, in OpenAI's order.</summary>
public enum AudioFormat
{
    /// <summary>MPEG-1 Layer III at 64 kbit/s (through ffmpeg).</summary>
    Mp3,

    /// <summary>Opus in an Ogg container (encoded in process).</summary>
    Opus,

    /// <summary>AAC in ADTS frames at 64 kbit/s (through ffmpeg).</summary>
    Aac,

    /// <summary>Lossless FLAC (through ffmpeg).</summary>
    Flac,

    /// <summary>16-bit mono WAV, as the reference writes it.</summary>
    Wav,

    /// <summary>Raw 16-bit little-endian mono samples at the model's rate, no header.</summary>
    Pcm,
}

/// <summary>Names, file extensions and media types of the <see cref="AudioFormat"/>s.</summary>
public static class AudioFormats
{
    /// <summary>The formats' names (<c>mp3</c>, <c>opus</c>, <c>aac</c>, <c>flac</c>, <c>wav</c>, <c>pcm</c>), in OpenAI's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mp3", "opus", "aac", "flac", "wav", "pcm"];

    /// <summary>The format named <paramref name="name"/> (case-insensitive); false for any other name.</summary>
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

    /// <summary>The format's name, as <see cref="Names"/> spells it.</summary>
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

    /// <summary>The media type; <c>pcm</c> is <c>audio/pcm</c>, raw 16-bit little-endian mono samples, as OpenAI defines it.</summary>
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
