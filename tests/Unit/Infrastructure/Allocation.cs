namespace PocketTts.Tests.Unit.Infrastructure;

/// <summary>
/// Measures what a piece of work allocates on the calling thread. The runtime itself sometimes allocates once
/// on a thread (tiered JIT installing optimised code, ArrayPool refilling after a gen-2 GC trimmed it while other
/// tests ran in parallel), so the work is measured up to three times and the smallest count is returned: a real
/// per-call allocation shows in every attempt.
/// </summary>
public static class Allocation
{
    public static long Measure(Action work, int attempts = 3)
    {
        ArgumentNullException.ThrowIfNull(work);
        long smallest = long.MaxValue;
        for (int i = 0; i < attempts && smallest != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return smallest;
    }
}
