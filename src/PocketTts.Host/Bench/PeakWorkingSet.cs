using System.Diagnostics;

namespace PocketTts.Host.Bench;

/// <summary>The process's peak working set (resident memory high-water mark), and, on Linux, a way to start it afresh.</summary>
internal static class PeakWorkingSet
{
    public static double Megabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1e6;
    }

    /// <summary>
    /// Returns garbage to the system and restarts the high-water mark from the current working set (Linux:
    /// <c>/proc/self/clear_refs</c> with 5), so a later peak excludes one-time preparation. Elsewhere it does nothing.
    /// </summary>
    public static void Reset()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux())
            File.WriteAllText("/proc/self/clear_refs", "5");
    }
}
