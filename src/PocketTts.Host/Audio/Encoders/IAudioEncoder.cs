namespace PocketTts.Host.Audio.Encoders;

/// <summary>
/// Encodes mono float samples into one audio format and writes the bytes to an output stream as soon as they
/// exist, flushing it, so a client hears speech while it is generated. One encoder serves one response.
/// </summary>
internal interface IAudioEncoder : IAsyncDisposable
{
    /// <summary>Encodes and writes samples (in [−1, 1] at the model's rate).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken);

    /// <summary>Writes what the format needs at the end (the last packets, trailers) and flushes.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
