namespace PocketTts;

/// <summary>
/// The output of an encoder whose bytes are handed on in pieces (a streaming response's updates): a write-only,
/// unseekable stream — so encoders write as into a pipe, with headers for a stream of unknown length — whose bytes
/// are taken as they accumulate. Thread-safe, as an ffmpeg encoder writes from its own pump.
/// </summary>
internal sealed class EncodedChunks : Stream
{
    private readonly Lock _lock = new();
    private MemoryStream _pending = new();

    /// <summary>The bytes written since the last call.</summary>
    public byte[] Take()
    {
        lock (_lock)
        {
            byte[] bytes = _pending.ToArray();
            _pending = new MemoryStream();
            return bytes;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
            _pending.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
