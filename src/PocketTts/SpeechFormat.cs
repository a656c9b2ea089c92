using PocketTts.Audio.Encoders;

namespace PocketTts;

/// <summary>
/// The audio format a <see cref="PocketTtsSpeechClient"/> request asks for through
/// <see cref="Microsoft.Extensions.AI.TextToSpeechOptions.AudioFormat"/>: a name (<c>wav</c>, the default, <c>pcm</c>,
/// <c>opus</c>, <c>mp3</c>, <c>aac</c>, <c>flac</c>) or a media type (<c>audio/wav</c>, <c>audio/L16</c>,
/// <c>audio/ogg</c>, <c>audio/mpeg</c>…), encoded by the encoders <c>pocket-tts</c> uses.
/// </summary>
internal static class SpeechFormat
{
    private static readonly Dictionary<string, AudioFormat> ByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["audio/wav"] = AudioFormat.Wav,
        ["audio/wave"] = AudioFormat.Wav,
        ["audio/x-wav"] = AudioFormat.Wav,
        ["audio/pcm"] = AudioFormat.Pcm,
        ["audio/l16"] = AudioFormat.Pcm,
        ["audio/ogg"] = AudioFormat.Opus,
        ["audio/opus"] = AudioFormat.Opus,
        ["audio/mpeg"] = AudioFormat.Mp3,
        ["audio/mp3"] = AudioFormat.Mp3,
        ["audio/aac"] = AudioFormat.Aac,
        ["audio/flac"] = AudioFormat.Flac,
        ["audio/x-flac"] = AudioFormat.Flac,
    };

    /// <summary>The format asked for; WAV when none is.</summary>
    /// <exception cref="UnsupportedException">Another format (subject <c>format</c>); the message lists the supported ones.</exception>
    public static AudioFormat Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return AudioFormat.Wav;
        string bare = name.Split(';')[0].Trim();
        return AudioFormats.TryParse(bare, out AudioFormat format) ? format
            : ByMediaType.TryGetValue(bare, out format) ? format
            : throw new UnsupportedException($"is not supported: use {string.Join(", ", AudioFormats.Names)}, or their media types.", "format", name);
    }

    /// <summary>The media type of the format's bytes; headerless samples say their rate, as <c>audio/L16</c> needs.</summary>
    public static string MediaType(AudioFormat format, int sampleRate) =>
        format == AudioFormat.Pcm ? $"audio/L16;rate={sampleRate};channels=1" : format.ContentType();
}
