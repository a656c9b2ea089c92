using PocketTts.Audio.Encoders;

namespace PocketTts;

/// <summary>
/// The output of an encoder whose bytes become a streaming response's updates: the chunks flushed so far are
/// collected until <see cref="TakeAsync"/> takes them.
/// </summary>
internal sealed class EncodedChunks : FlushedChunkStream
{
    private readonly MemoryStream _flushed = new();

    /// <summary>The bytes written since the last call (flushing what is pending).</summary>
    public async ValueTask<byte[]> TakeAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        lock (_flushed)
        {
            byte[] bytes = _flushed.ToArray();
            _flushed.SetLength(0);
            return bytes;
        }
    }

    protected override ValueTask SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        lock (_flushed)
            _flushed.Write(chunk.Span);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _flushed.Dispose();
        base.Dispose(disposing);
    }
}
