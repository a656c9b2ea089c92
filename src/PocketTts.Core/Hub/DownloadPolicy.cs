namespace PocketTts.Hub;

/// <summary>
/// What a download named by someone other than the operator (a voice URL in a request, or a voice URL on the
/// command line) may do: which addresses it may reach, how many bytes and how much time it may take, and what the
/// file must be before it enters the cache. Model files named by the operator's configuration are downloaded
/// without a policy (they are large, and the operator chose them).
/// </summary>
public sealed record DownloadPolicy
{
    /// <summary>The largest download accepted by default: 50 MiB.</summary>
    public const long DefaultMaxBytes = 50L * 1024 * 1024;

    /// <summary>
    /// Whether plain http(s) URLs may reach loopback, private, link-local, CGNAT, documentation, multicast and other
    /// non-public addresses (checked after DNS resolution, on every redirect). Default false. Without it, the
    /// downloads also ignore any HTTP proxy (a proxy would resolve the name where it cannot be checked).
    /// </summary>
    public bool AllowPrivateAddresses { get; init; }

    /// <summary>The largest file accepted, in bytes (default <see cref="DefaultMaxBytes"/>), enforced while the bytes arrive.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>The longest wait for the response headers or for the next bytes of the body (default 10 s).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a whole download may take, redirects included (default 60 s): a server that trickles one
    /// byte a second cannot hold the download open.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Checks a complete download (given its path) before it is cached; false discards it. Null accepts any content.
    /// </summary>
    public Func<string, bool>? AcceptContent { get; init; }
}
