using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using PocketTts.Generation;
using PocketTts.Voices;

namespace PocketTts.Host.Bench;

/// <summary>
/// Speech from text that is still arriving, as a language model writes it (<see cref="PocketTtsModel.GenerateStreamingAsync(IAsyncEnumerable{TextPiece}, VoiceState, GenerationOptions?, CancellationToken)"/>):
/// sentences of <see cref="WordsPerSentence"/> words arrive word by word at <see cref="WordsPerSecond"/>, and each
/// text chunk's latency is from the moment its first sentence was complete to the chunk's first audio. The first
/// chunk's latency is what a listener waits for; the later ones are measured while the earlier audio still plays.
/// The reference packs whole sentences into chunks of at most 50 tokens, so a chunk is only known to be whole once
/// the sentence after it is complete: its latency includes writing that sentence.
/// </summary>
/// <param name="FirstChunkMsP50">The first chunk's latency, median over the runs.</param>
/// <param name="FirstChunkMsP95">The first chunk's latency, 95th percentile over the runs.</param>
/// <param name="LaterChunkMsP50">The later chunks' latencies, median.</param>
/// <param name="LaterChunkMsP95">The later chunks' latencies, 95th percentile.</param>
/// <param name="Chunks">Text chunks measured, all runs together.</param>
internal sealed record TextStreamLatency(
    [property: JsonPropertyName("first_chunk_ms_p50")] double FirstChunkMsP50,
    [property: JsonPropertyName("first_chunk_ms_p95")] double FirstChunkMsP95,
    [property: JsonPropertyName("later_chunk_ms_p50")] double LaterChunkMsP50,
    [property: JsonPropertyName("later_chunk_ms_p95")] double LaterChunkMsP95,
    [property: JsonPropertyName("chunks")] int Chunks)
{
    /// <summary>Words a sentence has: about two sentences fill a chunk of the reference's 50 tokens.</summary>
    public const int WordsPerSentence = 20;

    /// <summary>How fast the text arrives: about a language model's 50 tokens per second.</summary>
    public const int WordsPerSecond = 40;

    private const int Sentences = 6;

    /// <summary>Runs <paramref name="runs"/> generations of a streamed text and measures every chunk.</summary>
    /// <param name="model">The loaded model, with the synthetic tokenizer (<see cref="SyntheticModelFiles.Word"/>).</param>
    /// <param name="voice">The voice.</param>
    /// <param name="options">Sampling and the length of each chunk's speech.</param>
    /// <param name="runs">Generations measured, after one warm-up.</param>
    public static TextStreamLatency Measure(PocketTtsModel model, VoiceState voice, GenerationOptions options, int runs)
    {
        var first = new List<double>();
        var later = new List<double>();
        for (int run = 0; run <= runs; run++)
        {
            List<double> latencies = MeasureOnce(model, voice, options with { Seed = 100 + run }, new Random(run)).GetAwaiter().GetResult();
            if (run == 0)
                continue; // warm-up
            first.Add(latencies[0]);
            later.AddRange(latencies.Skip(1));
        }
        return new TextStreamLatency(Percentile(first, 0.5), Percentile(first, 0.95), Percentile(later, 0.5), Percentile(later, 0.95), first.Count + later.Count);
    }

    private static async Task<List<double>> MeasureOnce(PocketTtsModel model, VoiceState voice, GenerationOptions options, Random random)
    {
        // The synthetic tokenizer's words, one token each.
        int vocabulary = model.Config.FlowLm.LookupTable.NBins;
        string[][] sentences = [.. Enumerable.Range(0, Sentences).Select(_ => Enumerable.Range(0, WordsPerSentence).Select(_ => SyntheticModelFiles.Word(random.Next(5, vocabulary))).ToArray())];
        var clock = Stopwatch.StartNew();
        var completed = new double[Sentences];
        var latencies = new List<double>();
        int sentencesSpoken = 0;
        int currentChunk = -1;
        await foreach (AudioChunk chunk in model.GenerateStreamingAsync(Write(sentences, clock, completed), voice, options))
        {
            if (chunk.TextChunk == currentChunk)
                continue;
            currentChunk = chunk.TextChunk;
            latencies.Add(clock.Elapsed.TotalMilliseconds - completed[sentencesSpoken]);
            sentencesSpoken += chunk.Text!.Count(c => c == '.');
        }
        return latencies;
    }

    /// <summary>The sentences word by word at <see cref="WordsPerSecond"/>, noting when each one is complete.</summary>
    private static async IAsyncEnumerable<TextPiece> Write(string[][] sentences, Stopwatch clock, double[] completed, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int written = 0;
        for (int s = 0; s < sentences.Length; s++)
        {
            for (int w = 0; w < sentences[s].Length; w++)
            {
                // On a schedule rather than a delay after each word, so a busy machine does not slow the writer down.
                TimeSpan due = TimeSpan.FromSeconds(written++ / (double)WordsPerSecond);
                if (due > clock.Elapsed)
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                bool last = w == sentences[s].Length - 1;
                if (last)
                    completed[s] = clock.Elapsed.TotalMilliseconds;
                yield return TextPiece.Of(sentences[s][w] + (last ? ". " : " "));
            }
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
            return double.NaN;
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
    }
}
