using System.Buffers;

namespace PocketTts.Audio.Encoders;

/// <summary>OpenAI's <c>pcm</c>: raw 16-bit little-endian mono samples, no header.</summary>
internal sealed class PcmEncoder(Stream output) : IAudioEncoder
{
    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        int bytes = Pcm16.BytesPerSample * samples.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            Pcm16.Encode(samples.Span, buffer);
            await output.WriteAsync(buffer.AsMemory(0, bytes), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
