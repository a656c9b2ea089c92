namespace PocketTts.Backends;

/// <summary>Options passed to <see cref="IBackendProvider.Create"/>.</summary>
public sealed record BackendOptions
{
    /// <summary>Maximum number of threads the backend may use for one operation; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Device index for GPU backends (CUDA ordinal); ignored by CPU backends.</summary>
    public int DeviceIndex { get; init; }

    /// <summary>
    /// Folder where the backend caches what it derives from a model's files (exported graphs, packed weights), each
    /// under a name of its own; null for none, and then a backend that needs one says so. The pocket-tts host passes
    /// <c>$POCKET_TTS_CACHE/&lt;backend&gt;</c>; derived files never go beside a user's weights or into the Hugging
    /// Face cache.
    /// </summary>
    public string? CacheDirectory { get; init; }
}
