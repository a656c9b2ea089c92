using PocketTts.Audio;

namespace PocketTts.Host.Serving.Encoders;

/// <summary>
/// 16-bit mono WAV as the reference's server streams it: the header <see cref="WavWriter"/> writes for a stream of
/// unknown length (a data size of 2·10⁹ bytes, so players read to the end), then the samples as they come.
/// </summary>
internal sealed class WavEncoder(Stream output, int sampleRate) : IAudioEncoder
{
    private readonly PcmEncoder _samples = new(output);
    private bool _headerWritten;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(cancellationToken);
        await _samples.WriteAsync(samples, cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(cancellationToken);
        await _samples.CompleteAsync(cancellationToken);
    }

    private async ValueTask WriteHeaderAsync(CancellationToken cancellationToken)
    {
        if (_headerWritten)
            return;
        _headerWritten = true;
        // A response body cannot seek, so WavWriter's header is the streaming one; take it from a scratch stream
        // because Kestrel refuses the synchronous write WavWriter makes.
        using var header = new MemoryStream(WavWriter.HeaderBytes);
        _ = new WavWriter(header, sampleRate);
        await output.WriteAsync(header.GetBuffer().AsMemory(0, WavWriter.HeaderBytes), cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
