namespace PocketTts.Audio.Encoders;

/// <summary>
/// An encoder's output that is handed on in chunks, one per flush: a WebSocket message, a server-sent event, a
/// streaming update. Write-only and unseekable, so encoders write as into a pipe (headers for a stream of unknown
/// length). Writes and flushes may come from another thread than the reader's (an ffmpeg encoder writes from its own
/// pump), so the pending bytes are guarded and flushes are taken one at a time.
/// </summary>
public abstract class FlushedChunkStream : Stream
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private MemoryStream _pending = new();
    private MemoryStream _sending = new();

    /// <summary>Hands on one chunk: the bytes written since the last flush (never empty). They are valid only until this returns.</summary>
    protected abstract ValueTask SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_lock)
                (_pending, _sending) = (_sending, _pending); // writers go on into the empty buffer while this one is sent
            if (_sending.Length > 0)
                await SendAsync(_sending.GetBuffer().AsMemory(0, (int)_sending.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.SetLength(0);
            _flushing.Release();
        }
    }

    /// <inheritdoc/>
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
            _pending.Write(buffer);
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
            _sending.Dispose();
            _flushing.Dispose();
        }
        base.Dispose(disposing);
    }
}
