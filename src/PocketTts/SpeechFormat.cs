using PocketTts.Audio;

namespace PocketTts;

/// <summary>
/// The audio formats <see cref="PocketTtsSpeechClient"/> returns: 16-bit mono WAV (the default, as the reference writes
/// it) and the same samples without a header as <c>audio/L16</c>. <see cref="Microsoft.Extensions.AI.TextToSpeechOptions.AudioFormat"/>
/// takes a name (<c>wav</c>, <c>pcm</c>) or a media type (<c>audio/wav</c>, <c>audio/L16</c>).
/// </summary>
internal sealed record SpeechFormat(string MediaType, bool HasHeader)
{
    /// <summary>16-bit mono WAV.</summary>
    public static SpeechFormat Wav { get; } = new("audio/wav", HasHeader: true);

    /// <summary>16-bit little-endian mono samples without a header.</summary>
    public static SpeechFormat Pcm { get; } = new("audio/L16", HasHeader: false);

    // Every name a format is asked by; declared after the formats it refers to, which initialise first.
    private static readonly Dictionary<string, SpeechFormat> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wav"] = Wav,
        ["audio/wav"] = Wav,
        ["audio/wave"] = Wav,
        ["audio/x-wav"] = Wav,
        ["pcm"] = Pcm,
        ["audio/pcm"] = Pcm,
        ["audio/l16"] = Pcm,
    };

    /// <summary>The format asked for; WAV when none is.</summary>
    /// <exception cref="UnsupportedException">Another format (subject <c>format</c>); the message lists the supported ones.</exception>
    public static SpeechFormat Parse(string? name) =>
        string.IsNullOrWhiteSpace(name) ? Wav
        : ByName.TryGetValue(name.Split(';')[0].Trim(), out SpeechFormat? format) ? format
        : throw new UnsupportedException("is not supported: use wav (audio/wav) or pcm (audio/L16). The server (pocket-tts serve) also encodes mp3, opus, aac and flac.", "format", name);

    /// <summary>The media type with the sample rate, as <c>audio/L16</c> needs it.</summary>
    public string MediaTypeAt(int sampleRate) => HasHeader ? MediaType : $"{MediaType};rate={sampleRate};channels=1";

    /// <summary>The bytes of samples: a header for a whole file when asked, then 16-bit PCM.</summary>
    public byte[] Encode(ReadOnlySpan<float> samples, int sampleRate, bool header)
    {
        int headerBytes = header && HasHeader ? WavWriter.HeaderBytes : 0;
        var bytes = new byte[headerBytes + (Pcm16.BytesPerSample * samples.Length)];
        if (headerBytes > 0)
            WavWriter.Header(sampleRate, (uint)(Pcm16.BytesPerSample * samples.Length)).CopyTo(bytes, 0);
        Pcm16.Encode(samples, bytes.AsSpan(headerBytes));
        return bytes;
    }
}
