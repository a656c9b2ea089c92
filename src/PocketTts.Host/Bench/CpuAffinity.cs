using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PocketTts.Host.Bench;

/// <summary>
/// Confines the whole process to its first N cores. On Linux an affinity belongs to a thread, and
/// <see cref="Process.ProcessorAffinity"/> sets only the main thread's: the thread pool's workers, started before,
/// would keep every core (and so would the workers they start). So every thread of the process is pinned, and threads
/// started later inherit the mask from their pinned creators.
/// </summary>
internal static partial class CpuAffinity
{
    public static void Pin(int cores)
    {
        long mask = (1L << cores) - 1;
        if (!OperatingSystem.IsLinux())
        {
            if (OperatingSystem.IsWindows())
                Process.GetCurrentProcess().ProcessorAffinity = (nint)mask;
            return;
        }
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            int tid = int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture);
            // A thread may end between the listing and the call (ESRCH); the others must still be pinned.
            if (SchedSetAffinity(tid, sizeof(long), ref mask) != 0 && Marshal.GetLastPInvokeError() != Esrch)
                throw new InvalidOperationException($"sched_setaffinity({tid}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private const int Esrch = 3;

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint size, ref long mask);
}
