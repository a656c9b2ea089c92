using PocketTts.Audio;
using PocketTts.Generation;
using PocketTts.IO;

namespace PocketTts.Host.Cli;

/// <summary>Where generated speech goes: a WAV file that appears only when complete, or a WAV stream written as it is generated.</summary>
internal static class WavOutput
{
    /// <summary>
    /// Writes <paramref name="path"/> as an <see cref="OutputFile"/>: a regular file is replaced when generation
    /// completed (permissions kept, nothing left behind when interrupted), a symbolic link's target likewise, and a
    /// special file such as <c>/dev/null</c> or a FIFO is written through.
    /// </summary>
    public static async Task WriteFileAsync(IAsyncEnumerable<AudioChunk> audio, string path, int sampleRate, CancellationToken cancellationToken)
    {
        OutputFile file;
        try
        {
            file = OutputFile.Open(path);
        }
        catch (IOException e)
        {
            throw new UsageException(e.Message);
        }
        await using (file)
        {
            await StreamAsync(audio, file.Stream, sampleRate, cancellationToken);
            file.Commit();
        }
    }

    /// <summary>Writes a WAV header, then every chunk as soon as it is generated, flushing each.</summary>
    public static async Task StreamAsync(IAsyncEnumerable<AudioChunk> audio, Stream output, int sampleRate, CancellationToken cancellationToken)
    {
        var writer = new WavWriter(output, sampleRate);
        await foreach (AudioChunk chunk in audio.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(chunk.Samples, cancellationToken);
            if (!output.CanSeek)
                await output.FlushAsync(cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
