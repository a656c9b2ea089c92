using PocketTts.Audio;
using PocketTts.Generation;

namespace PocketTts.Host.Cli;

/// <summary>Where generated speech goes: a WAV file that appears only when complete, or a WAV stream written as it is generated.</summary>
internal static class WavOutput
{
    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it when generation completed.</summary>
    public static async Task WriteFileAsync(IAsyncEnumerable<AudioChunk> audio, string path, int sampleRate, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            throw new UsageException($"Output folder does not exist: {folder}");
        string temporary = Path.Combine(folder ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await StreamAsync(audio, file, sampleRate, cancellationToken);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
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
