using System.Buffers.Binary;

namespace PocketTts.Audio.Encoders;

/// <summary>
/// The length fields of a FLAC stream's STREAMINFO block (RFC 9639 §8.2), which an encoder writing into a pipe leaves
/// at 0 ("unknown"): STREAMINFO is the first block after the <c>fLaC</c> marker, so its sample rate, channels, bits
/// per sample and total samples sit in the eight bytes at offset 18, one big-endian 64-bit field (20, 3, 5 and 36 bits).
/// </summary>
internal static class FlacStreamInfo
{
    private const int FieldOffset = 18;

    /// <summary>
    /// Writes the total of <paramref name="samples"/> into the 16-bit mono stream that starts at
    /// <paramref name="start"/> of a seekable <paramref name="output"/>, then returns to its end.
    /// </summary>
    public static async ValueTask WriteTotalSamplesAsync(Stream output, long start, int sampleRate, long samples, CancellationToken cancellationToken)
    {
        const ulong Channels = 1, BitsPerSample = 16;
        ulong field = ((ulong)sampleRate << 44) | ((Channels - 1) << 41) | ((BitsPerSample - 1) << 36) | ((ulong)samples & 0xF_FFFF_FFFF);
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, field);
        long end = output.Position;
        output.Position = start + FieldOffset;
        await output.WriteAsync(bytes, cancellationToken);
        output.Position = end;
        await output.FlushAsync(cancellationToken);
    }
}
