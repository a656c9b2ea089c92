using System.Buffers.Binary;

namespace PocketTts.Audio;

/// <summary>
/// Reads RIFF/WAVE audio: PCM 8 (unsigned), 16, 24 and 32-bit integers, IEEE float 32 and 64-bit,
/// WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono, as the reference does). Integers are scaled by
/// 2^(bits−1) (int16/32768). Unknown chunks are skipped; a data size of 0 or 0xFFFFFFFF (streaming writers)
/// means "to the end of the file".
/// </summary>
public static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>True when the bytes start like a WAV file.</summary>
    public static bool IsWav(ReadOnlySpan<byte> header) => header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WAVE"u8);

    /// <summary>Decodes a whole WAV file held in memory.</summary>
    /// <exception cref="InvalidDataException">Not a supported WAV file; the message says why and what is accepted.</exception>
    public static AudioClip Read(ReadOnlySpan<byte> bytes, string name = "<audio>")
    {
        if (!IsWav(bytes))
            throw new InvalidDataException($"{name}: not a WAV file (no RIFF/WAVE header). Accepted audio: WAV (PCM 8/16/24/32-bit, float 32/64-bit) and MP3.");
        int position = 12;
        ushort format = 0, channels = 0, bits = 0;
        int rate = 0;
        bool haveFormat = false;
        while (position + 8 <= bytes.Length)
        {
            ReadOnlySpan<byte> id = bytes.Slice(position, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(position + 4)..]);
            int body = position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length)
                    throw new InvalidDataException($"{name}: truncated WAV format chunk.");
                format = BinaryPrimitives.ReadUInt16LittleEndian(bytes[body..]);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(body + 2)..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes[(body + 4)..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(body + 14)..]);
                if (format == FormatExtensible)
                {
                    if (size < 40 || body + 26 > bytes.Length)
                        throw new InvalidDataException($"{name}: truncated WAVE_FORMAT_EXTENSIBLE chunk.");
                    format = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(body + 24)..]); // first two bytes of the sub-format GUID
                }
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                    throw new InvalidDataException($"{name}: the data chunk comes before the format chunk.");
                long available = bytes.Length - body;
                long length = size is 0 or 0xFFFFFFFF || size > available ? available : size;
                return Decode(bytes.Slice(body, (int)length), format, channels, rate, bits, name);
            }
            position = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);   // chunks are padded to even sizes
        }
        throw new InvalidDataException(haveFormat ? $"{name}: the WAV file has no data chunk." : $"{name}: the WAV file has no format chunk.");
    }

    private static AudioClip Decode(ReadOnlySpan<byte> data, ushort format, ushort channels, int rate, ushort bits, string name)
    {
        if (channels == 0)
            throw new InvalidDataException($"{name}: the WAV file declares 0 channels.");
        if (rate <= 0)
            throw new InvalidDataException($"{name}: the WAV file declares a sample rate of {rate} Hz.");
        bool supported = (format, bits) is (FormatPcm, 8 or 16 or 24 or 32) or (FormatFloat, 32 or 64);
        if (!supported)
            throw new InvalidDataException($"{name}: unsupported WAV encoding (format {format}, {bits} bits). Accepted: PCM 8/16/24/32-bit integer and IEEE float 32/64-bit.");
        int bytesPerSample = bits / 8, frameBytes = bytesPerSample * channels;
        int frames = data.Length / frameBytes;
        var samples = new float[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++)
                sum += Sample(data.Slice(f * frameBytes + c * bytesPerSample, bytesPerSample), format, bits);
            samples[f] = (float)(sum / channels);
        }
        return new AudioClip(samples, rate);
    }

    private static double Sample(ReadOnlySpan<byte> s, ushort format, ushort bits) => (format, bits) switch
    {
        (FormatPcm, 8) => (s[0] - 128) / 128.0,
        (FormatPcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768.0,
        (FormatPcm, 24) => ((s[0] | (s[1] << 8) | (s[2] << 16)) << 8 >> 8) / 8388608.0,
        (FormatPcm, 32) => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0,
        (FormatFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(s),
    };
}
