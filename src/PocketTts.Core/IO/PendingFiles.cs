using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace PocketTts.IO;

/// <summary>
/// Temporary files that must not outlive the process. The writer's own clean-up does not run when the process is
/// ended by a signal (.NET terminates on SIGTERM, SIGHUP and SIGQUIT without unwinding, nor raising ProcessExit) or
/// when a cancelled command returns while its writer thread is still busy, so the files are also deleted on those
/// signals, on Ctrl+C, and at exit.
/// </summary>
internal static class PendingFiles
{
    private static readonly ConcurrentDictionary<string, byte> Paths = new(StringComparer.Ordinal);

    // Kept alive for the process's lifetime: a collected registration would stop handling its signal.
    private static readonly PosixSignalRegistration[] Signals =
        OperatingSystem.IsWindows() || OperatingSystem.IsBrowser() ? [] :
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => DeleteAll()))];

    static PendingFiles() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>How many signals are watched (none on Windows and in the browser).</summary>
    internal static int WatchedSignals => Signals.Length;

    /// <summary>Registers a temporary file to delete at exit unless <see cref="Release"/> is called first.</summary>
    public static void Add(string path) => Paths.TryAdd(path, 0);

    /// <summary>Forgets a file that was renamed into place or already deleted.</summary>
    public static void Release(string path) => Paths.TryRemove(path, out _);

    /// <summary>
    /// Deletes a temporary file and forgets it. Errors are ignored: the error that made the file useless matters more
    /// than a leftover, and at exit nothing more can be done.
    /// </summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        Release(path);
    }

    /// <summary>Deletes every registered file.</summary>
    internal static void DeleteAll()
    {
        foreach (string path in Paths.Keys)
            Delete(path);
    }
}
