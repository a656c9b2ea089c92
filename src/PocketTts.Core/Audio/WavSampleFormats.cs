using System.Buffers.Binary;

namespace PocketTts.Audio;

/// <summary>One WAV sample encoding: its size and its value as a float.</summary>
internal interface IWavSample
{
    /// <summary>Bytes per sample.</summary>
    static abstract int Bytes { get; }

    /// <summary>Reads one little-endian sample, scaled as soundfile and the reference's int16 path scale it.</summary>
    static abstract float Read(ReadOnlySpan<byte> s);
}

/// <summary>
/// The WAV sample encodings the reader accepts and the down-mix to mono. Integers are divided by 2^(bits − 1)
/// (8-bit is unsigned, centred on 128): the reference reads int16 as <c>int16 / 32768</c> and soundfile scales the
/// other widths the same way, so full scale negative is −1 and full scale positive is just below 1.
/// </summary>
internal static class WavSampleFormats
{
    /// <summary>
    /// Averages <paramref name="channels"/> interleaved channels into one, in float32 as numpy's
    /// <c>samples.reshape(-1, channels).mean(axis=1)</c> does (sum, then divide by the count); a trailing partial
    /// frame is ignored.
    /// </summary>
    public static float[] ToMono<TSample>(ReadOnlySpan<byte> data, int channels) where TSample : struct, IWavSample
    {
        int frameBytes = TSample.Bytes * channels;
        var mono = new float[data.Length / frameBytes];
        for (int f = 0; f < mono.Length; f++)
        {
            ReadOnlySpan<byte> frame = data.Slice(f * frameBytes, frameBytes);
            if (channels == 1)
            {
                mono[f] = TSample.Read(frame);
                continue;
            }
            float sum = 0;
            for (int c = 0; c < frameBytes; c += TSample.Bytes)
                sum += TSample.Read(frame[c..]);
            mono[f] = sum / channels;
        }
        return mono;
    }

    /// <summary>Unsigned 8-bit PCM.</summary>
    public readonly struct U8 : IWavSample
    {
        public static int Bytes => 1;

        public static float Read(ReadOnlySpan<byte> s) => (s[0] - 128) / 128f;
    }

    /// <summary>Signed 16-bit PCM.</summary>
    public readonly struct S16 : IWavSample
    {
        public static int Bytes => 2;

        public static float Read(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f;
    }

    /// <summary>Signed 24-bit PCM, packed in three bytes.</summary>
    public readonly struct S24 : IWavSample
    {
        public static int Bytes => 3;

        // Assemble the three bytes in the top of an int so that the arithmetic shift extends the sign.
        public static float Read(ReadOnlySpan<byte> s) => ((s[0] << 8 | s[1] << 16 | s[2] << 24) >> 8) / 8388608f;
    }

    /// <summary>Signed 32-bit PCM (rounded to float32 first, then scaled exactly, as libsndfile does).</summary>
    public readonly struct S32 : IWavSample
    {
        public static int Bytes => 4;

        public static float Read(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f;
    }

    /// <summary>IEEE float32.</summary>
    public readonly struct F32 : IWavSample
    {
        public static int Bytes => 4;

        public static float Read(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadSingleLittleEndian(s);
    }

    /// <summary>IEEE float64, rounded to float32.</summary>
    public readonly struct F64 : IWavSample
    {
        public static int Bytes => 8;

        public static float Read(ReadOnlySpan<byte> s) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s);
    }
}
