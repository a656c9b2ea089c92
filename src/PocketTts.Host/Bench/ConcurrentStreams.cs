using System.Text.Json.Serialization;
using PocketTts.Generation;
using PocketTts.Voices;

namespace PocketTts.Host.Bench;

/// <summary>
/// Several generations at once on one model, as a server's concurrent clients run them, sharing the cores the bench
/// is pinned to: how many streams keep up with real time, measured rather than derived from one stream's RTF
/// (streams also share memory bandwidth and caches). Each stream's RTF is its audio over its own wall time.
/// </summary>
/// <param name="Count">Streams run at once.</param>
/// <param name="SlowestRtf">The RTF of the slowest stream: at or above 1, every stream kept up with real time.</param>
/// <param name="MedianRtf">The median stream's RTF.</param>
/// <param name="FirstChunkMsMedian">Time to each stream's first audio chunk, median.</param>
/// <param name="FirstChunkMsMax">Time to each stream's first audio chunk, the longest.</param>
internal sealed record ConcurrentStreams(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("slowest_rtf")] double SlowestRtf,
    [property: JsonPropertyName("median_rtf")] double MedianRtf,
    [property: JsonPropertyName("first_chunk_ms_median")] double FirstChunkMsMedian,
    [property: JsonPropertyName("first_chunk_ms_max")] double FirstChunkMsMax)
{
    /// <summary>Starts <paramref name="count"/> generations of <paramref name="plan"/> together and waits for all.</summary>
    public static ConcurrentStreams Measure(PocketTtsModel model, SpeechPlan plan, VoiceState voice, GenerationOptions options, int count)
    {
        using var start = new Barrier(count);
        var streams = new (double FirstChunkMs, double Rtf)[count];
        Thread[] threads = [.. Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            streams[i] = BenchRunner.Pipeline(model, plan, voice, options with { Seed = 10 + i });
        }) { IsBackground = true, Name = $"bench stream {i}" })];
        foreach (Thread thread in threads)
            thread.Start();
        foreach (Thread thread in threads)
            thread.Join();
        Measure rtf = Bench.Measure.Of([.. streams.Select(s => s.Rtf)]);
        Measure first = Bench.Measure.Of([.. streams.Select(s => s.FirstChunkMs)]);
        return new ConcurrentStreams(count, rtf.Min, rtf.Median, first.Median, first.Max);
    }
}
