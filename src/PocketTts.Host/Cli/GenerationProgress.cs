using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using PocketTts.Generation;

namespace PocketTts.Host.Cli;

/// <summary>
/// What a generation has done so far — text chunks, seconds of audio, elapsed time, real-time factor (wall time
/// over audio time; below 1 is faster than real time) — and the one summary line it ends with.
/// </summary>
/// <param name="elapsed">The time since the work started (a stopwatch; fixed values in tests).</param>
internal sealed class GenerationProgress(Func<TimeSpan> elapsed)
{
    /// <summary>Starts counting now.</summary>
    public static GenerationProgress StartNew()
    {
        var stopwatch = Stopwatch.StartNew();
        return new GenerationProgress(() => stopwatch.Elapsed);
    }

    /// <summary>Text chunks that have produced audio.</summary>
    public int TextChunks { get; private set; }

    /// <summary>Seconds of audio generated.</summary>
    public double AudioSeconds { get; private set; }

    /// <summary>The time until the first audio arrived, or null before it.</summary>
    public TimeSpan? FirstChunkLatency { get; private set; }

    /// <summary>Counts a chunk of audio.</summary>
    public void Add(AudioChunk chunk)
    {
        FirstChunkLatency ??= elapsed();
        TextChunks = Math.Max(TextChunks, chunk.TextChunk + 1);
        AudioSeconds += chunk.Duration.TotalSeconds;
    }

    /// <summary>Passes <paramref name="audio"/> through, counting each chunk and reporting <see cref="Status"/> after it.</summary>
    public async IAsyncEnumerable<AudioChunk> Track(IAsyncEnumerable<AudioChunk> audio, Action<string> report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (AudioChunk chunk in audio.WithCancellation(cancellationToken))
        {
            Add(chunk);
            report(Status());
            yield return chunk;
        }
    }

    /// <summary>The progress line: <c>text chunk 3, 12.4 s of audio, 2.0 s elapsed, RTF 0.16</c>.</summary>
    public string Status()
    {
        TimeSpan wall = elapsed();
        return string.Create(CultureInfo.InvariantCulture,
            $"text chunk {TextChunks}, {AudioSeconds:F1} s of audio, {wall.TotalSeconds:F1} s elapsed, RTF {RealTimeFactor(wall):F2}");
    }

    /// <summary>The closing line: <c>12.4 s of audio in 2.0 s (RTF 0.16), first audio after 0.31 s</c>.</summary>
    public string Summary()
    {
        TimeSpan wall = elapsed();
        return string.Create(CultureInfo.InvariantCulture,
            $"{AudioSeconds:F1} s of audio in {wall.TotalSeconds:F1} s (RTF {RealTimeFactor(wall):F2}), first audio after {(FirstChunkLatency ?? wall).TotalSeconds:F2} s");
    }

    private double RealTimeFactor(TimeSpan wall) => AudioSeconds > 0 ? wall.TotalSeconds / AudioSeconds : 0;
}
