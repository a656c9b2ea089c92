namespace PocketTts.Audio.Encoders;

/// <summary>
/// 16-bit mono WAV. Into a file (a seekable stream) it carries the true length, written into the header at the end;
/// into a pipe or a response, the header <see cref="WavWriter"/> writes for a stream of unknown length (a data size of
/// 2·10⁹ bytes, so players read to the end), as the reference's server streams it, then the samples as they come.
/// </summary>
internal sealed class WavEncoder(Stream output, int sampleRate) : IAudioEncoder
{
    private readonly PcmEncoder _samples = new(output);
    private WavWriter? _file;
    private bool _headerWritten;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(cancellationToken);
        if (_file is not null)
            await _file.WriteAsync(samples, cancellationToken);
        else
            await _samples.WriteAsync(samples, cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(cancellationToken);
        if (_file is not null)
            await _file.CompleteAsync(cancellationToken); // seeks back to write the true sizes
        else
            await _samples.CompleteAsync(cancellationToken);
    }

    private async ValueTask WriteHeaderAsync(CancellationToken cancellationToken)
    {
        if (_headerWritten)
            return;
        _headerWritten = true;
        if (output.CanSeek)
        {
            _file = new WavWriter(output, sampleRate);
            return;
        }
        // A pipe or a response cannot seek, so the header is the streaming one; take it from a scratch stream
        // because Kestrel refuses the synchronous write WavWriter makes.
        using var header = new MemoryStream(WavWriter.HeaderBytes);
        _ = new WavWriter(header, sampleRate);
        await output.WriteAsync(header.GetBuffer().AsMemory(0, WavWriter.HeaderBytes), cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
