using System.Text;
using System.Text.Json;

namespace PocketTts.Host.Serving;

/// <summary>
/// OpenAI's <c>stream_format: "sse"</c>: the encoded audio written between two flushes becomes one
/// <c>speech.audio.delta</c> event with the bytes in base64, and <see cref="WriteDoneAsync"/> sends
/// <c>speech.audio.done</c> with the usage. Encoders write to it as to any output stream.
/// </summary>
internal sealed class SseAudioStream(Stream response) : Stream
{
    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _pending.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => throw new NotSupportedException("Flush asynchronously: the response refuses synchronous writes.");

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
            return;
        string audio = Convert.ToBase64String(_pending.GetBuffer(), 0, (int)_pending.Length);
        _pending.SetLength(0);
        await WriteEventAsync(new Dictionary<string, object> { ["type"] = "speech.audio.delta", ["audio"] = audio }, cancellationToken);
    }

    /// <summary>Sends what is pending, then the closing event.</summary>
    public async Task WriteDoneAsync(int inputTokens, int outputTokens, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var usage = new Dictionary<string, int> { ["input_tokens"] = inputTokens, ["output_tokens"] = outputTokens, ["total_tokens"] = inputTokens + outputTokens };
        await WriteEventAsync(new Dictionary<string, object> { ["type"] = "speech.audio.done", ["usage"] = usage }, cancellationToken);
    }

    private async Task WriteEventAsync(Dictionary<string, object> payload, CancellationToken cancellationToken)
    {
        byte[] line = Encoding.UTF8.GetBytes("data: " + JsonSerializer.Serialize(payload) + "\n\n");
        await response.WriteAsync(line, cancellationToken);
        await response.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _pending.Dispose();
        base.Dispose(disposing);
    }
}
