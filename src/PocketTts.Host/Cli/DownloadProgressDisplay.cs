using System.Diagnostics;
using System.Globalization;
using PocketTts.Hub;
using Spectre.Console;

namespace PocketTts.Host.Cli;

/// <summary>
/// Shows download progress: Spectre.Console progress bars and a closing summary line on an interactive terminal, and
/// otherwise one line per file at start and end (logs and pipes get no control characters).
/// </summary>
internal static class DownloadProgressDisplay
{
    public static async Task<T> RunAsync<T>(TextWriter log, bool quiet, Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        if (quiet)
            return await work(new Progress<DownloadProgress>());
        if (TerminalStatus.IsTerminal(log))
        {
            T result = default!;
            var stopwatch = Stopwatch.StartNew();
            var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
            await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
                .Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async context =>
                {
                    result = await work(new SynchronousProgress(p =>
                    {
                        lock (tasks)
                        {
                            if (!tasks.TryGetValue(p.FileName, out ProgressTask? task))
                                tasks[p.FileName] = task = context.AddTask(Markup.Escape(p.FileName), maxValue: p.TotalBytes ?? 1);
                            if (p.TotalBytes is { } total)
                                task.MaxValue = total;
                            task.Value = p.BytesDone;
                        }
                    }));
                });
            if (tasks.Count > 0)
                await log.WriteLineAsync(Summary(tasks.Count, tasks.Values.Sum(t => (long)t.Value), stopwatch.Elapsed));
            return result;
        }
        var announced = new HashSet<string>(StringComparer.Ordinal);
        return await work(new SynchronousProgress(p =>
        {
            lock (announced)
            {
                if (announced.Add(p.FileName))
                    log.WriteLine($"Downloading {p.FileName}{(p.TotalBytes is { } t ? $" ({t / 1e6:F1} MB)" : "")}");
                else if (p.TotalBytes is { } total && p.BytesDone == total)
                    log.WriteLine($"Downloaded {p.FileName}");
            }
        }));
    }

    /// <summary>The line that ends the downloads on a terminal: <c>Downloaded 3 files, 236.4 MB in 12.3 s (19.2 MB/s)</c>.</summary>
    internal static string Summary(int files, long bytes, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"Downloaded {files} file{(files == 1 ? "" : "s")}, {bytes / 1e6:F1} MB in {elapsed.TotalSeconds:F1} s ({bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-3):F1} MB/s)");

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder updates).</summary>
    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
