using PocketTts.Audio.Encoders;
using PocketTts.Generation;
using PocketTts.IO;

namespace PocketTts.Host.Audio;

/// <summary>
/// Where <c>generate</c>'s speech goes, through the encoders the server uses: a file that appears only when complete,
/// or a stream (standard output) written chunk by chunk as it is generated.
/// </summary>
internal static class AudioOutput
{
    /// <summary>
    /// Writes <paramref name="path"/> as an <see cref="OutputFile"/>: a regular file is replaced when generation
    /// completed (permissions kept, nothing left behind when interrupted), a symbolic link's target likewise, and a
    /// special file such as <c>/dev/null</c> or a FIFO is written through.
    /// </summary>
    /// <exception cref="UsageException">The path cannot be written.</exception>
    public static async Task WriteFileAsync(IAsyncEnumerable<AudioChunk> audio, string path, AudioFormat format, AudioEncoderFactory encoders, int sampleRate,
        CancellationToken cancellationToken)
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
            await StreamAsync(audio, file.Stream, format, encoders, sampleRate, cancellationToken);
            file.Commit();
        }
    }

    /// <summary>Encodes every chunk as soon as it is generated; the encoders flush what they write.</summary>
    public static async Task StreamAsync(IAsyncEnumerable<AudioChunk> audio, Stream output, AudioFormat format, AudioEncoderFactory encoders, int sampleRate,
        CancellationToken cancellationToken)
    {
        await using IAudioEncoder encoder = encoders.Create(format, output, sampleRate);
        await foreach (AudioChunk chunk in audio.WithCancellation(cancellationToken))
            await encoder.WriteAsync(chunk.Samples, cancellationToken);
        await encoder.CompleteAsync(cancellationToken);
    }
}
