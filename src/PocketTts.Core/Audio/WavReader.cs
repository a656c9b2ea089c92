using System.Buffers.Binary;
using System.Globalization;
using PocketTts.IO;
using static PocketTts.Audio.WavSampleFormats;

namespace PocketTts.Audio;

/// <summary>
/// Reads RIFF/WAVE audio: PCM 8 (unsigned), 16, 24 and 32-bit integers, IEEE float 32 and 64-bit, plain or
/// WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono, as the reference does). Integers are scaled by
/// 2^(bits−1), e.g. int16/32768. Unknown chunks are skipped (odd sizes are followed by a pad byte). A data chunk
/// whose size is 0, 0xFFFFFFFF or larger than the file is read to the end of the file: streaming writers,
/// the reference's among them, cannot know the size when they write the header. Thread-safe (no shared state).
/// </summary>
public static class WavReader
{
    /// <summary>What the reader accepts, for error messages.</summary>
    internal const string Accepted = "Accepted: RIFF/WAVE files with PCM 8/16/24/32-bit integer or IEEE float 32/64-bit samples (plain or WAVE_FORMAT_EXTENSIBLE), any channel count.";

    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>
    /// The largest magnitude accepted in an IEEE float WAV file, whose full scale is ±1: 60 dB above it is no
    /// recording, and NaN, infinities or 3e38 would turn the voice encoder's output into NaN.
    /// </summary>
    public const float MaxFloatSample = 1000f;

    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT are {000000TT-0000-0010-8000-00AA00389B71}: the format tag, then this tail.
    private static ReadOnlySpan<byte> SubFormatGuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>True when the bytes start like a WAV file ("RIFF", a size, "WAVE").</summary>
    public static bool IsWav(ReadOnlySpan<byte> header) => header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WAVE"u8);

    /// <summary>Decodes a whole WAV file held in memory into mono samples.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="name">Names the file in error messages.</param>
    /// <exception cref="InvalidDataException">Not a supported WAV file, or float samples that are not finite or beyond
    /// <see cref="MaxFloatSample"/>; the message says what is wrong and what is accepted.</exception>
    public static AudioClip Read(ReadOnlySpan<byte> bytes, string name = "<audio>")
    {
        CheckRiffHeader(bytes, name);
        WavFormat? format = null;
        long position = 12;
        while (position < bytes.Length)
        {
            if (position + 8 > bytes.Length)
                throw Invalid(name, $"truncated chunk header at byte {position} ({bytes.Length - position} of 8 bytes).");
            ReadOnlySpan<byte> id = bytes.Slice((int)position, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[((int)position + 4)..]);
            int body = (int)position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                format = ReadFormat(bytes[body..], size, name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } f)
                    throw Invalid(name, "the data chunk comes before the format (fmt) chunk.");
                int available = bytes.Length - body;
                int length = size is 0 or uint.MaxValue || size > available ? available : (int)size;
                float[] samples = Decode(bytes.Slice(body, length), f);
                if (f.Tag == FormatFloat && FiniteValues.FindOutside(samples, MaxFloatSample) is var bad and >= 0)
                    throw Invalid(name, $"sample {bad} is {samples[bad].ToString(CultureInfo.InvariantCulture)}; IEEE float samples must be finite and within ±{MaxFloatSample.ToString(CultureInfo.InvariantCulture)} (full scale is ±1).");
                return new AudioClip(samples, f.SampleRate);
            }
            position = body + (long)size + (size & 1);
        }
        throw Invalid(name, format is null ? "no format (fmt) chunk." : "no data chunk.");
    }

    private static void CheckRiffHeader(ReadOnlySpan<byte> bytes, string name)
    {
        if (IsWav(bytes))
            return;
        if (bytes.IsEmpty)
            throw Invalid(name, "the file is empty.");
        if (bytes.Length < 12 && "RIFF"u8.StartsWith(bytes[..Math.Min(4, bytes.Length)]))
            throw Invalid(name, $"truncated RIFF header ({bytes.Length} of 12 bytes).");
        if (bytes.Length >= 4 && bytes[..4].SequenceEqual("RF64"u8))
            throw Invalid(name, "RF64 (64-bit WAV) is not supported.");
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8))
            throw Invalid(name, $"a RIFF file of type '{System.Text.Encoding.Latin1.GetString(bytes[8..12])}', not WAVE.");
        throw Invalid(name, "not a WAV file (it does not start with a RIFF/WAVE header).");
    }

    private static WavFormat ReadFormat(ReadOnlySpan<byte> chunk, uint size, string name)
    {
        if (size < 16)
            throw Invalid(name, $"the format chunk has {size} bytes; at least 16 are required.");
        if (chunk.Length < 16)
            throw Invalid(name, $"truncated format chunk ({chunk.Length} of {size} bytes).");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
        if (tag == FormatExtensible)
        {
            if (size < 40)
                throw Invalid(name, $"the WAVE_FORMAT_EXTENSIBLE format chunk has {size} bytes; 40 are required.");
            if (chunk.Length < 40)
                throw Invalid(name, $"truncated WAVE_FORMAT_EXTENSIBLE format chunk ({chunk.Length} of 40 bytes).");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]);
            if (!chunk[26..40].SequenceEqual(SubFormatGuidTail))
                throw Invalid(name, $"unsupported WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(chunk[24..40])}.");
        }
        if (tag is not (FormatPcm or FormatFloat))
            throw Invalid(name, $"unsupported format tag 0x{tag:X4} (a compressed or unknown encoding).");
        if (channels == 0)
            throw Invalid(name, "the format declares 0 channels.");
        if (rate is 0 or > int.MaxValue)
            throw Invalid(name, $"the format declares a sample rate of {rate} Hz.");
        if ((tag, bits) is not ((FormatPcm, 8 or 16 or 24 or 32) or (FormatFloat, 32 or 64)))
            throw Invalid(name, $"unsupported {(tag == FormatPcm ? "PCM integer" : "IEEE float")} sample size of {bits} bits.");
        return new WavFormat(tag, channels, (int)rate, bits);
    }

    private static float[] Decode(ReadOnlySpan<byte> data, WavFormat f) => (f.Tag, f.Bits) switch
    {
        (FormatPcm, 8) => ToMono<U8>(data, f.Channels),
        (FormatPcm, 16) => ToMono<S16>(data, f.Channels),
        (FormatPcm, 24) => ToMono<S24>(data, f.Channels),
        (FormatPcm, 32) => ToMono<S32>(data, f.Channels),
        (FormatFloat, 32) => ToMono<F32>(data, f.Channels),
        _ => ToMono<F64>(data, f.Channels),
    };

    private static InvalidDataException Invalid(string name, string problem) => new($"{name}: {problem} {Accepted}");

    private readonly record struct WavFormat(ushort Tag, int Channels, int SampleRate, int Bits);
}
