using System.Buffers.Binary;

namespace PocketTts.Audio;

/// <summary>
/// Writes 16-bit mono PCM WAV. Samples are clipped to [−1, 1] and scaled by 32767 with truncation toward zero,
/// as the reference's <c>StreamingWAVWriter</c> does. On a seekable stream the header's sizes are fixed when
/// the writer completes; on a stream that cannot seek (stdout, HTTP) the header carries the maximum size, as
/// streaming WAV writers do, and players read to the end.
/// </summary>
public sealed class WavWriter
{
    private const int HeaderBytes = 44;
    private readonly Stream _stream;
    private readonly long _start;
    private readonly byte[] _buffer = new byte[4096];
    private long _dataBytes;

    /// <summary>Writes the header to <paramref name="stream"/>; call <see cref="WriteAsync"/> then <see cref="CompleteAsync"/>.</summary>
    public WavWriter(Stream stream, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        _stream = stream;
        _start = stream.CanSeek ? stream.Position : 0;
        SampleRate = sampleRate;
        stream.Write(Header(sampleRate, stream.CanSeek ? 0 : uint.MaxValue - HeaderBytes + 8));
    }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>Converts float samples to 16-bit little-endian PCM (the reference's scaling).</summary>
    public static void ToPcm16(ReadOnlySpan<float> samples, Span<byte> destination)
    {
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(destination[(2 * i)..], (short)(Math.Clamp(samples[i], -1f, 1f) * 32767f));
    }

    /// <summary>Appends samples.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken = default)
    {
        for (int offset = 0; offset < samples.Length; offset += _buffer.Length / 2)
        {
            int count = Math.Min(_buffer.Length / 2, samples.Length - offset);
            ToPcm16(samples.Span.Slice(offset, count), _buffer);
            await _stream.WriteAsync(_buffer.AsMemory(0, 2 * count), cancellationToken);
            _dataBytes += 2 * count;
        }
    }

    /// <summary>Fixes the header's sizes when the stream can seek, and flushes.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_stream.CanSeek)
        {
            long end = _stream.Position;
            _stream.Position = _start;
            await _stream.WriteAsync(Header(SampleRate, (uint)Math.Min(_dataBytes, uint.MaxValue - HeaderBytes)), cancellationToken);
            _stream.Position = end;
        }
        await _stream.FlushAsync(cancellationToken);
    }

    private static byte[] Header(int sampleRate, uint dataBytes)
    {
        var h = new byte[HeaderBytes];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), dataBytes + HeaderBytes - 8);
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(20), 1);             // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(22), 1);             // mono
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(28), sampleRate * 2); // bytes per second
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(32), 2);             // block align
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(34), 16);            // bits
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), dataBytes);
        return h;
    }
}
