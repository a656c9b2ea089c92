using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace PocketTts.Host.Serving;

/// <summary>
/// Admission control: at most <c>maxConcurrent</c> generations run, at most <c>maxQueued</c> requests wait for a
/// slot. A request beyond the queue is refused at once with 429; one that waited longer than the queue timeout
/// gets 503. Both carry a <c>Retry-After</c> estimated from recent generation times. Thread-safe.
/// </summary>
internal sealed class GenerationLimiter(int maxConcurrent, int maxQueued, TimeSpan queueTimeout) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private int _waiting;
    private int _running;
    private long _completed;
    private long _cancelled;
    private long _rejectedQueueFull;
    private long _rejectedQueueTimeout;
    private long _averageTicks = TimeSpan.FromSeconds(5).Ticks; // a first guess, replaced by measurements

    /// <summary>Generations running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Generations that ran to their end.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Generations stopped early: the client disconnected, the request timed out or the server stopped.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    /// <summary>Requests refused because the queue was full (429).</summary>
    public long RejectedQueueFull => Interlocked.Read(ref _rejectedQueueFull);

    /// <summary>Requests refused because they waited past the queue timeout (503).</summary>
    public long RejectedQueueTimeout => Interlocked.Read(ref _rejectedQueueTimeout);

    /// <summary>Takes a slot, waiting in the queue if there is room.</summary>
    /// <exception cref="ApiException">429 when the queue is full, 503 when the wait timed out.</exception>
    public async Task<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > maxQueued)
            {
                Interlocked.Decrement(ref _waiting);
                Interlocked.Increment(ref _rejectedQueueFull);
                throw new ApiException(StatusCodes.Status429TooManyRequests,
                    $"The server is busy: {maxConcurrent} generation(s) running and {maxQueued} request(s) waiting. Retry later.",
                    code: "server_busy", type: OpenAiError.RateLimit, retryAfter: EstimatedWait(maxQueued + 1));
            }
            try
            {
                if (!await _slots.WaitAsync(queueTimeout, cancellationToken))
                {
                    Interlocked.Increment(ref _rejectedQueueTimeout);
                    throw new ApiException(StatusCodes.Status503ServiceUnavailable,
                        $"No generation slot became free within {queueTimeout.TotalSeconds:0.#} s. Retry later.",
                        code: "queue_timeout", type: OpenAiError.ServerError, retryAfter: EstimatedWait(Waiting));
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        Interlocked.Increment(ref _running);
        return new Lease(this);
    }

    private TimeSpan EstimatedWait(int ahead) =>
        TimeSpan.FromTicks(Math.Clamp(Interlocked.Read(ref _averageTicks) * Math.Max(1, ahead) / maxConcurrent, TimeSpan.TicksPerSecond, 60 * TimeSpan.TicksPerSecond));

    private void Release(TimeSpan elapsed, bool cancelled)
    {
        Interlocked.Increment(ref cancelled ? ref _cancelled : ref _completed);
        if (!cancelled)
        {
            long average = Interlocked.Read(ref _averageTicks);
            Interlocked.Exchange(ref _averageTicks, average + ((elapsed.Ticks - average) / 4)); // a moving average of recent generations
        }
        Interlocked.Decrement(ref _running);
        _slots.Release();
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One admitted generation; disposing it frees the slot.</summary>
    internal sealed class Lease(GenerationLimiter limiter) : IDisposable
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _disposed;

        /// <summary>Set when the generation ran to its end; otherwise it counts as cancelled.</summary>
        public bool Completed { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                limiter.Release(Stopwatch.GetElapsedTime(_start), !Completed);
        }
    }
}
