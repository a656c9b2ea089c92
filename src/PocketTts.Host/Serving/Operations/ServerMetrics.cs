using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// The server's speech metrics (meter <c>PocketTts.Server</c>) and traces (activity source of the same name). Requests
/// by route and status are ASP.NET Core's own <c>http.server.request.duration</c>, which speech responses tag with
/// their <c>pocket_tts.format</c>; this adds what only the server knows: time to the first audio, real-time factor,
/// audio produced, generations running and queued, admission refusals and voice-cache hits. Exposed at
/// <c>/metrics</c> and over OTLP by <see cref="Telemetry"/>.
/// </summary>
internal sealed class ServerMetrics
{
    public const string Name = "PocketTts.Server";

    /// <summary>The tag speech responses add to ASP.NET Core's request metrics.</summary>
    public const string FormatTag = "pocket_tts.format";

    /// <summary>Where Prometheus scrapes.</summary>
    public const string Route = "/metrics";

    /// <summary>Spans: voice resolution, generation (with the encoding time), per request.</summary>
    public static readonly ActivitySource Tracing = new(Name);

    private readonly Histogram<double> _timeToFirstAudio;
    private readonly Histogram<double> _realTimeFactor;
    private readonly Counter<double> _audio;

    public ServerMetrics(IMeterFactory meters, GenerationLimiter limiter, ServerReadiness readiness)
    {
        Meter meter = meters.Create(Name);
        _timeToFirstAudio = meter.CreateHistogram("pocket_tts.time_to_first_audio", "s", "From a generation's start (after any queue wait) to its first audio chunk on the wire.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10] });
        // As bench reports it: audio produced per second of generation, so above 1 is faster than real time.
        _realTimeFactor = meter.CreateHistogram("pocket_tts.real_time_factor", "1", "Audio duration over generation time, per completed generation: above 1 is faster than real time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8, 12, 16] });
        _audio = meter.CreateCounter<double>("pocket_tts.audio", "s", "Seconds of audio produced by completed generations.");
        meter.CreateObservableUpDownCounter("pocket_tts.generations.active", () => limiter.Running, "{generation}", "Generations running now.");
        meter.CreateObservableUpDownCounter("pocket_tts.queue.depth", () => limiter.Waiting, "{request}", "Requests waiting for a generation slot now.");
        meter.CreateObservableCounter("pocket_tts.queue.rejections", () => (Measurement<long>[])
        [
            new(limiter.RejectedQueueFull, new KeyValuePair<string, object?>("reason", "queue_full")),
            new(limiter.RejectedQueueTimeout, new KeyValuePair<string, object?>("reason", "queue_timeout")),
        ], "{request}", "Requests refused for want of a slot: 429 (queue full) and 503 (waited past --queue-timeout).");
        meter.CreateObservableCounter("pocket_tts.voice_cache.lookups", () => readiness.State == ReadinessState.Loading ? [] : (Measurement<long>[])
        [
            new(readiness.Server.Voices.CacheHits, new KeyValuePair<string, object?>("result", "hit")),
            new(readiness.Server.Voices.CacheMisses, new KeyValuePair<string, object?>("result", "miss")),
        ], "{lookup}", "Voice states found in the voice cache (hit) or computed (miss).");
    }

    /// <summary>The first audio chunk of a generation went out.</summary>
    public void FirstAudio(TimeSpan sinceStart, string format) =>
        _timeToFirstAudio.Record(sinceStart.TotalSeconds, new KeyValuePair<string, object?>(FormatTag, format));

    /// <summary>A generation ran to its end.</summary>
    public void Completed(TimeSpan elapsed, double audioSeconds, string format)
    {
        _audio.Add(audioSeconds, new KeyValuePair<string, object?>(FormatTag, format));
        if (elapsed > TimeSpan.Zero)
            _realTimeFactor.Record(audioSeconds / elapsed.TotalSeconds, new KeyValuePair<string, object?>(FormatTag, format));
    }
}
