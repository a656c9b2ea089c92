using System.Collections.Concurrent;

namespace PocketTts.Hub;

/// <summary>
/// Serialises the download of one cache entry, within this process (a semaphore per lock path) and across
/// processes (an exclusive lock on a lock file: .NET takes <c>flock(LOCK_EX)</c> on Unix, the same lock the Python
/// <c>filelock</c> package takes, so a concurrent <c>huggingface_hub</c> download of the same blob waits too).
/// </summary>
internal sealed class BlobLock : IDisposable
{
    private const int SharingViolation = unchecked((int)0x80070020);   // Windows
    private const int LockViolation = unchecked((int)0x80070021);      // Windows
    private const int WouldBlockLinux = 11;                            // flock's EWOULDBLOCK, as .NET reports it on Unix
    private const int WouldBlockMacOs = 35;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _semaphore;
    private readonly FileStream _file;

    private BlobLock(SemaphoreSlim semaphore, FileStream file)
    {
        _semaphore = semaphore;
        _file = file;
    }

    public static async Task<BlobLock> AcquireAsync(string lockPath, CancellationToken cancellationToken)
    {
        SemaphoreSlim semaphore = InProcess.GetOrAdd(lockPath, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            while (true)
            {
                try
                {
                    return new BlobLock(semaphore, new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException e) when (IsHeldElsewhere(e))
                {
                    await Task.Delay(RetryDelay, cancellationToken);
                }
            }
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    private static bool IsHeldElsewhere(IOException e) =>
        OperatingSystem.IsWindows() ? e.HResult is SharingViolation or LockViolation : e.HResult is WouldBlockLinux or WouldBlockMacOs;

    public void Dispose()
    {
        _file.Dispose();
        _semaphore.Release();
    }
}
