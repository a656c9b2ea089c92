using System.Text;
using System.Text.Json;
using PocketTts.Audio.Encoders;

namespace PocketTts.Host.Serving;

/// <summary>
/// OpenAI's <c>stream_format: "sse"</c>: the encoded audio written between two flushes becomes one
/// <c>speech.audio.delta</c> event with the bytes in base64, and <see cref="WriteDoneAsync"/> sends
/// <c>speech.audio.done</c> with the usage. Encoders write to it as to any output stream.
/// </summary>
internal sealed class SseAudioStream(Stream response) : FlushedChunkStream
{
    /// <summary>Sends what is pending, then the closing event.</summary>
    public async Task WriteDoneAsync(int inputTokens, int outputTokens, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var usage = new Dictionary<string, int> { ["input_tokens"] = inputTokens, ["output_tokens"] = outputTokens, ["total_tokens"] = inputTokens + outputTokens };
        await WriteEventAsync(new Dictionary<string, object> { ["type"] = "speech.audio.done", ["usage"] = usage }, cancellationToken);
    }

    protected override async ValueTask SendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        await WriteEventAsync(new Dictionary<string, object> { ["type"] = "speech.audio.delta", ["audio"] = Convert.ToBase64String(chunk.Span) }, cancellationToken);

    private async Task WriteEventAsync(Dictionary<string, object> payload, CancellationToken cancellationToken)
    {
        byte[] line = Encoding.UTF8.GetBytes("data: " + JsonSerializer.Serialize(payload) + "\n\n");
        await response.WriteAsync(line, cancellationToken);
        await response.FlushAsync(cancellationToken);
    }
}
