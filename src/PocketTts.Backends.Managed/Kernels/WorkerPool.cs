using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>A unit of parallel work: items [begin, end) of a loop whose items are independent.</summary>
internal interface IParallelJob
{
    void Run(int begin, int end);
}

/// <summary>
/// An allocation-free parallel-for over dedicated threads: the caller's thread works too, items are handed
/// out in chunks from a shared counter, and the call returns when every worker is done. Because each item is
/// computed by the same code whichever thread takes it, results do not depend on the thread count.
/// </summary>
/// <remarks>
/// <para>A model step is a chain of short loops, so a worker spins for <see cref="SpinTime"/> after each loop
/// before it sleeps: waking a sleeping thread costs tens of microseconds, as much as a whole layer.</para>
/// <para>One loop runs at a time; a caller that finds the pool busy (another stream on the same backend) runs its
/// loop on its own thread. The job is a struct on the caller's stack, reached by pointer from the workers,
/// which is safe because the caller does not return before they finish.</para>
/// </remarks>
internal sealed unsafe class WorkerPool : IDisposable
{
    /// <summary>Below this many multiply-adds a loop runs on the caller's thread: handing it out costs more.</summary>
    public const long MinParallelWork = 1 << 18;

    private static readonly long SpinTime = Stopwatch.Frequency / 10_000;   // 100 µs

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly Lock _gate = new();
    private void* _job;
    private delegate*<void*, int, int, void> _invoke;
    private int _count;
    private int _chunk;
    private int _next;
    private int _running;
    private int _generation;
    private ExceptionDispatchInfo? _error;
    private volatile bool _disposed;

    /// <param name="threads">Threads working on one loop, the caller's included; 1 for none.</param>
    public WorkerPool(int threads)
    {
        int workers = Math.Max(0, threads - 1);
        _threads = new Thread[workers];
        _wake = new SemaphoreSlim[workers];
        _sleeping = new int[workers];
        for (int i = 0; i < workers; i++)
        {
            int worker = i;
            _wake[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"PocketTts managed worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads working on one loop, the caller's included.</summary>
    public int Threads => _threads.Length + 1;

    /// <summary>Runs <c>job.Run</c> over [0, count), in parallel when the loop does at least <see cref="MinParallelWork"/> of work.</summary>
    /// <param name="count">Items.</param>
    /// <param name="job">The loop body; read by other threads until this returns.</param>
    /// <param name="work">Multiply-adds (or comparable operations) of the whole loop.</param>
    public void For<TJob>(int count, ref TJob job, long work)
        where TJob : struct, IParallelJob
    {
        if (_threads.Length == 0 || count < 2 || work < MinParallelWork || !_gate.TryEnter())
        {
            job.Run(0, count);
            return;
        }
        try
        {
            _job = Unsafe.AsPointer(ref job);
            _invoke = &Invoke<TJob>;
            _count = count;
            _chunk = Math.Max(1, count / (Threads * 4));
            _next = 0;
            _error = null;
            Volatile.Write(ref _running, _threads.Length);
            Interlocked.Increment(ref _generation);
            WakeSleepers();
            RunChunks();
            var spin = default(SpinWait);
            while (Volatile.Read(ref _running) != 0)
                spin.SpinOnce(sleep1Threshold: -1);
            _job = null;
            _error?.Throw();
        }
        finally
        {
            _gate.Exit();
        }
    }

    private static void Invoke<TJob>(void* job, int begin, int end)
        where TJob : struct, IParallelJob => Unsafe.AsRef<TJob>(job).Run(begin, end);

    private void RunChunks()
    {
        try
        {
            int begin;
            while ((begin = Interlocked.Add(ref _next, _chunk) - _chunk) < _count)
                _invoke(_job, begin, Math.Min(begin + _chunk, _count));
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            Volatile.Write(ref _next, _count);
        }
    }

    private void WakeSleepers()
    {
        for (int i = 0; i < _sleeping.Length; i++)
        {
            if (Interlocked.Exchange(ref _sleeping[i], 0) == 1)
                _wake[i].Release();
        }
    }

    private void WorkerLoop(int worker)
    {
        int seen = 0;
        while (true)
        {
            // Spin for the next loop, then sleep. A worker marks itself asleep before its last look at the
            // generation, so the caller either sees the mark and wakes it, or the worker sees the new generation.
            // Each worker has its own semaphore: a wake-up left over from a mark that did not sleep stays with
            // that worker and only costs it one more look.
            long deadline = Stopwatch.GetTimestamp() + SpinTime;
            while (Volatile.Read(ref _generation) == seen && Stopwatch.GetTimestamp() < deadline)
                Thread.SpinWait(20);
            while (Volatile.Read(ref _generation) == seen)
            {
                Interlocked.Exchange(ref _sleeping[worker], 1);
                if (Volatile.Read(ref _generation) == seen)
                    _wake[worker].Wait();
            }
            if (_disposed)
                return;
            seen = Volatile.Read(ref _generation);
            RunChunks();
            Interlocked.Decrement(ref _running);
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Interlocked.Increment(ref _generation);
        WakeSleepers();
        foreach (Thread thread in _threads)
            thread.Join();
        foreach (SemaphoreSlim wake in _wake)
            wake.Dispose();
    }
}
