namespace PocketTts.Backends;

/// <summary>Options passed to <see cref="IBackendProvider.Create"/>.</summary>
public sealed record BackendOptions
{
    /// <summary>Maximum number of threads the backend may use for one operation; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Device index for GPU backends (CUDA ordinal); ignored by CPU backends.</summary>
    public int DeviceIndex { get; init; }

    /// <summary>
    /// Folder where the backend may cache derived artefacts (exported graphs, packed weights); null for none.
    /// </summary>
    public string? CacheDirectory { get; init; }
}
