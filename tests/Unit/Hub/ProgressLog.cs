using System.Collections.Concurrent;
using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

/// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
internal sealed class ProgressLog : IProgress<DownloadProgress>
{
    public ConcurrentQueue<DownloadProgress> Reports { get; } = new();

    public void Report(DownloadProgress value) => Reports.Enqueue(value);
}
