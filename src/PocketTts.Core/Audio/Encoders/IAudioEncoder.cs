namespace PocketTts.Audio.Encoders;

/// <summary>
/// Encodes mono float samples into one audio format and writes the bytes to an output stream as soon as they
/// exist, flushing it, so a listener hears speech while it is generated. One encoder serves one output; made by
/// <see cref="AudioEncoderFactory"/>.
/// </summary>
public interface IAudioEncoder : IAsyncDisposable
{
    /// <summary>Encodes and writes samples (in [−1, 1] at the rate the encoder was made for).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken);

    /// <summary>
    /// Writes what the format needs at the end (the last packets, trailers; into a seekable output, the true lengths
    /// in the header) and flushes.
    /// </summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
