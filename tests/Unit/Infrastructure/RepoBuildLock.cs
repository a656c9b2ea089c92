namespace PocketTts.Tests.Unit.Infrastructure;

/// <summary>
/// A lock across test processes for the builds tests start in the repository: scripts/pack.sh, scripts/publish.sh and
/// the browser build's publish. They write the same plugin folders (artifacts/plugins/&lt;rid&gt;/&lt;plugin&gt;/, one
/// folder for Debug and Release), and <c>dotnet test</c> runs the test assemblies that start them in parallel: a
/// Release build rewriting the managed plugin once broke the browser publish that was reading it.
/// </summary>
public static class RepoBuildLock
{
    /// <summary>
    /// Waits until no other test process builds in <paramref name="root"/>; dispose the result to let the next one in.
    /// Its waits do not come back to the caller's context, so a fixture's constructor may block on it.
    /// </summary>
    /// <exception cref="TimeoutException">Another build held the lock for all of <paramref name="timeout"/>.</exception>
    public static async Task<IDisposable> AcquireAsync(string root, TimeSpan timeout)
    {
        string path = Path.Join(root, "artifacts", "test-builds.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // On Unix, FileShare.None is an exclusive flock: released when the file is closed or the process ends.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"Another test's build held {path} for {timeout}.", e);
            }
        }
    }
}
