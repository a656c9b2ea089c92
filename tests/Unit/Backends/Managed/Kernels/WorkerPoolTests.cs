using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1000)]
    [InlineData(4, 7)]
    [InlineData(3, 100_003)]
    public void Every_item_runs_exactly_once(int threads, int count)
    {
        using var pool = new WorkerPool(threads);
        var hits = new int[count];
        for (int repeat = 0; repeat < 20; repeat++)
        {
            var job = new CountingJob(hits);
            pool.For(count, ref job, long.MaxValue);
        }
        hits.ShouldAllBe(h => h == 20);
    }

    [Fact]
    public void Sleeping_workers_are_woken_for_every_loop()
    {
        // Workers that have stopped spinning sleep; each must be woken by the next loop, however the wake-ups of
        // earlier loops interleave (a shared semaphore once let one worker take another's wake-up and hang).
        var pool = new WorkerPool(3);
        var hits = new int[64];
        var run = new Thread(() =>
        {
            for (int repeat = 0; repeat < 2000; repeat++)
            {
                if (repeat % 100 == 0)
                    Thread.Sleep(2);
                var job = new CountingJob(hits);
                pool.For(hits.Length, ref job, long.MaxValue);
            }
        })
        { IsBackground = true };
        run.Start();
        bool finished = run.Join(TimeSpan.FromSeconds(60));
        finished.ShouldBeTrue("the loops did not finish: a worker was never woken");
        pool.Dispose();
        hits.ShouldAllBe(h => h == 2000);
    }

    [Fact]
    public void A_failing_item_surfaces_on_the_caller_and_the_pool_keeps_working()
    {
        using var pool = new WorkerPool(3);
        var failing = new FailingJob(500);
        Should.Throw<InvalidOperationException>(() => pool.For(1000, ref failing, long.MaxValue)).Message.ShouldBe("item 500");
        var hits = new int[100];
        var job = new CountingJob(hits);
        pool.For(100, ref job, long.MaxValue);
        hits.ShouldAllBe(h => h == 1);
    }

    [Fact]
    public void Concurrent_callers_each_complete_their_loop()
    {
        using var pool = new WorkerPool(2);
        var results = new int[4][];
        Parallel.For(0, 4, i =>
        {
            results[i] = new int[5000];
            for (int repeat = 0; repeat < 50; repeat++)
            {
                var job = new CountingJob(results[i]);
                pool.For(5000, ref job, long.MaxValue);
            }
        });
        foreach (int[] hits in results)
            hits.ShouldAllBe(h => h == 50);
    }

    private readonly struct CountingJob(int[] hits) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            for (int i = begin; i < end; i++)
                Interlocked.Increment(ref hits[i]);
        }
    }

    private readonly struct FailingJob(int failAt) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            if (failAt >= begin && failAt < end)
                throw new InvalidOperationException($"item {failAt}");
        }
    }
}
