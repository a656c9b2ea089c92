using System.Buffers.Binary;

namespace PocketTts.Audio;

/// <summary>
/// Float samples to 16-bit little-endian PCM, as the reference's <c>StreamingWAVWriter</c> converts them:
/// <c>(audio.clamp(-1, 1) * 32767).short()</c>, i.e. clipped to [−1, 1], scaled by 32767 in float32 and truncated
/// toward zero (so −1 becomes −32767, never −32768, and NaN becomes 0). Serves WAV bodies and raw <c>pcm</c> output.
/// </summary>
public static class Pcm16
{
    /// <summary>Bytes per sample.</summary>
    public const int BytesPerSample = 2;

    /// <summary>Converts one sample.</summary>
    public static short FromFloat(float sample) => (short)(Math.Clamp(sample, -1f, 1f) * 32767f);

    /// <summary>Writes <c>2 · samples.Length</c> bytes to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <c>2 · samples.Length</c>.</exception>
    public static void Encode(ReadOnlySpan<float> samples, Span<byte> destination)
    {
        if (destination.Length < BytesPerSample * samples.Length)
            throw new ArgumentException($"The destination has {destination.Length} bytes; {BytesPerSample * samples.Length} are needed for {samples.Length} samples.", nameof(destination));
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(destination.Slice(BytesPerSample * i, BytesPerSample), FromFloat(samples[i]));
    }
}
