using System.Buffers.Binary;

namespace PocketTts.Audio;

/// <summary>
/// Writes 16-bit mono PCM WAV, samples converted by <see cref="Pcm16"/> as the reference's <c>StreamingWAVWriter</c>
/// converts them. The header first carries the sizes the reference's writer puts in every file it streams
/// (Python's <c>wave</c> with <c>setnframes(1_000_000_000)</c>: a data size of <see cref="StreamingDataBytes"/>),
/// so a reader of a stream (stdout, HTTP) or of an interrupted file plays to the end of the data. On a seekable
/// stream <see cref="CompleteAsync"/> then writes the real sizes. One writer serves one stream; not thread-safe.
/// </summary>
public sealed class WavWriter
{
    /// <summary>The data size of a streamed header: 10⁹ frames of 2 bytes, as the reference writes it.</summary>
    public const uint StreamingDataBytes = 2_000_000_000;

    /// <summary>Bytes before the samples.</summary>
    public const int HeaderBytes = 44;

    private const int BufferSamples = 2048;
    private readonly Stream _stream;
    private readonly long _start;
    private readonly byte[] _buffer = new byte[Pcm16.BytesPerSample * BufferSamples];
    private bool _completed;

    /// <summary>Writes the header to <paramref name="stream"/>; then call <see cref="WriteAsync"/>, and <see cref="CompleteAsync"/> at the end.</summary>
    /// <param name="stream">A writable stream; the writer leaves it open.</param>
    /// <param name="sampleRate">Samples per second (24000 for Pocket TTS).</param>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample rate is not positive.</exception>
    public WavWriter(Stream stream, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!stream.CanWrite)
            throw new ArgumentException("The WAV output stream is not writable.", nameof(stream));
        _stream = stream;
        _start = stream.CanSeek ? stream.Position : 0;
        SampleRate = sampleRate;
        stream.Write(Header(sampleRate, StreamingDataBytes));
    }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>Samples written so far.</summary>
    public long SamplesWritten { get; private set; }

    /// <summary>Appends samples.</summary>
    /// <exception cref="InvalidOperationException">The writer has completed.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        for (int offset = 0; offset < samples.Length; offset += BufferSamples)
        {
            int count = Math.Min(BufferSamples, samples.Length - offset);
            Pcm16.Encode(samples.Span.Slice(offset, count), _buffer);
            await _stream.WriteAsync(_buffer.AsMemory(0, Pcm16.BytesPerSample * count), cancellationToken).ConfigureAwait(false);
            SamplesWritten += count;
        }
    }

    /// <summary>Writes the real sizes into the header when the stream can seek, and flushes. Later writes are refused.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
            return;
        _completed = true;
        if (_stream.CanSeek)
        {
            long end = _stream.Position;
            long dataBytes = Math.Min(Pcm16.BytesPerSample * SamplesWritten, uint.MaxValue - (HeaderBytes - 8));
            _stream.Position = _start;
            await _stream.WriteAsync(Header(SampleRate, (uint)dataBytes), cancellationToken).ConfigureAwait(false);
            _stream.Position = end;
        }
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The canonical 44-byte header of 16-bit mono PCM; the RIFF size is the data size + 36 (give
    /// <see cref="StreamingDataBytes"/> when the length is not known yet).</summary>
    public static byte[] Header(int sampleRate, uint dataBytes)
    {
        var h = new byte[HeaderBytes];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), dataBytes + HeaderBytes - 8);
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), 16);                                // fmt chunk size
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(20), 1);                                 // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(22), 1);                                 // mono
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(28), sampleRate * Pcm16.BytesPerSample);  // bytes per second
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(32), Pcm16.BytesPerSample);              // block align
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(34), 16);                                // bits per sample
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), dataBytes);
        return h;
    }
}
