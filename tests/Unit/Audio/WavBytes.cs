using System.Buffers.Binary;
using System.Text;

namespace PocketTts.Tests.Unit.Audio;

/// <summary>Builds WAV files byte by byte, so every encoding and every chunk layout can be produced in a test.</summary>
internal static class WavBytes
{
    public const ushort Pcm = 1;
    public const ushort Float = 3;

    /// <summary>A 16-byte fmt body.</summary>
    public static byte[] Fmt(ushort tag, int channels, int rate, int bits)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), rate * channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body whose sub-format GUID starts with <paramref name="subTag"/>.</summary>
    public static byte[] FmtExtensible(ushort subTag, int channels, int rate, int bits, bool standardGuid = true)
    {
        var b = new byte[40];
        Fmt(0xFFFE, channels, rate, bits).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);             // cbSize
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)bits);   // valid bits
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), channels == 2 ? 3u : 4u); // speaker mask
        new Guid($"{subTag:x8}-0000-0010-8000-00aa00389b71").TryWriteBytes(b.AsSpan(24));
        if (!standardGuid)
            b[39] ^= 0xFF;
        return b;
    }

    /// <summary>A chunk: id, size field (the body's length unless given), body, and a pad byte after an odd body.</summary>
    public static byte[] Chunk(string id, byte[] body, uint? sizeField = null)
    {
        var b = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(id).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), sizeField ?? (uint)body.Length);
        body.CopyTo(b, 8);
        return b;
    }

    /// <summary>"RIFF", the size, "WAVE", then the chunks.</summary>
    public static byte[] Riff(params byte[][] chunks)
    {
        byte[] b = [.. "RIFF\0\0\0\0WAVE"u8, .. chunks.SelectMany(c => c)];
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), b.Length - 8);
        return b;
    }

    /// <summary>A plain file: fmt, then data.</summary>
    public static byte[] Wav(ushort tag, int channels, int rate, int bits, byte[] data) =>
        Riff(Chunk("fmt ", Fmt(tag, channels, rate, bits)), Chunk("data", data));

    /// <summary>Little-endian two's complement integers of <paramref name="bits"/> bits (8-bit: the raw unsigned byte).</summary>
    public static byte[] Integers(int bits, params long[] values)
    {
        int bytes = bits / 8;
        var b = new byte[values.Length * bytes];
        for (int i = 0; i < values.Length; i++)
        {
            for (int k = 0; k < bytes; k++)
                b[i * bytes + k] = (byte)(values[i] >> (8 * k));
        }
        return b;
    }

    public static byte[] Floats(params float[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    public static byte[] Doubles(params double[] values) => [.. values.SelectMany(BitConverter.GetBytes)];
}
