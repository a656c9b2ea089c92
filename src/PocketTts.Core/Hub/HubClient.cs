using System.Security.Cryptography;
using System.Text;

namespace PocketTts.Hub;

/// <summary>
/// Downloads model files, voices and tokenizers into the Hugging Face cache (<c>hf://</c> references, laid out as
/// <c>huggingface_hub</c> does, see <see cref="HubOptions.CacheDirectory"/>) or the Pocket TTS cache (plain URLs),
/// and serves them from there without touching the network once they are cached. Thread-safe: concurrent
/// downloads of the same file wait for one another and share the result. Dispose it to release its connections.
/// </summary>
public sealed class HubClient : IDisposable
{
    private readonly HubCache _cache;
    private readonly HubHttp _http;
    private readonly HubHttp _publicOnly;      // untrusted URLs: public addresses only, no token, no proxy
    private readonly HubHttp _anyAddress;      // untrusted URLs where the policy allows private addresses: no token

    /// <summary>Creates a client with the given options (usually <see cref="HubOptions.FromEnvironment()"/>).</summary>
    public HubClient(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _cache = new HubCache(options.CacheDirectory);
        _http = new HubHttp(options.Endpoint, options.Token);
        _publicOnly = new HubHttp(options.Endpoint, token: null, publicOnly: true);
        _anyAddress = new HubHttp(options.Endpoint, token: null);
    }

    /// <summary>The options this client was created with.</summary>
    public HubOptions Options { get; }

    /// <summary>Turns any reference into a local file, downloading it if needed.</summary>
    /// <param name="reference"><c>hf://…</c>, <c>http(s)://…</c>, or a local path.</param>
    /// <param name="baseDirectory">The folder relative local paths are resolved against; null for the current directory.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The absolute path of the file.</returns>
    /// <exception cref="FormatException">The reference is malformed.</exception>
    /// <exception cref="FileNotFoundException">A local path does not exist.</exception>
    /// <exception cref="HubException">A download failed; see <see cref="HubException.Kind"/>.</exception>
    public Task<string> ResolveAsync(string reference, string? baseDirectory = null, IProgress<DownloadProgress>? progress = null,
                                     CancellationToken cancellationToken = default) =>
        ResolveAsync(ModelFileReference.Parse(reference, baseDirectory), progress, cancellationToken);

    /// <summary>Turns a reference from an untrusted source (a voice URL) into a local file, downloading it within
    /// <paramref name="policy"/> if needed.</summary>
    /// <inheritdoc cref="ResolveAsync(string, string?, IProgress{DownloadProgress}?, CancellationToken)"/>
    public Task<string> ResolveAsync(string reference, DownloadPolicy policy, IProgress<DownloadProgress>? progress = null,
                                     CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ResolveAsync(ModelFileReference.Parse(reference), progress, policy, cancellationToken);
    }

    /// <summary>Turns a parsed reference into a local file, downloading it if needed.</summary>
    /// <inheritdoc cref="ResolveAsync(string, string?, IProgress{DownloadProgress}?, CancellationToken)"/>
    public Task<string> ResolveAsync(ModelFileReference reference, IProgress<DownloadProgress>? progress = null,
                                     CancellationToken cancellationToken = default) =>
        ResolveAsync(reference, progress, null, cancellationToken);

    private Task<string> ResolveAsync(ModelFileReference reference, IProgress<DownloadProgress>? progress, DownloadPolicy? policy,
                                      CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference switch
        {
            ModelFileReference.HubFile hub => DownloadAsync(hub.Path, progress, policy, cancellationToken),
            ModelFileReference.WebFile web => DownloadUrlAsync(web.Url, progress, policy, cancellationToken),
            ModelFileReference.LocalFile local when File.Exists(local.FullPath) => Task.FromResult(local.FullPath),
            ModelFileReference.LocalFile local => throw new FileNotFoundException($"File not found: {local.FullPath}", local.FullPath),
            _ => throw new ArgumentException($"Unknown reference type {reference.GetType().Name}.", nameof(reference)),
        };
    }

    /// <summary>The cached copy of a Hub file, found without the network: a commit-hash revision names its snapshot,
    /// a branch or tag goes through the commit recorded in <c>refs/</c> when it was last downloaded.</summary>
    /// <returns>The snapshot path, or null when the file is not cached.</returns>
    public string? TryGetCachedPath(HfPath file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return _cache.TryGetCached(file);
    }

    /// <summary>
    /// Downloads a Hub file into the cache, as <c>hf_hub_download</c> does: a HEAD request names the commit and the
    /// blob (<c>X-Repo-Commit</c>, <c>X-Linked-Etag</c> or <c>ETag</c>), the blob is downloaded once into
    /// <c>blobs/&lt;etag&gt;</c> (resumed if interrupted, its size and, for LFS files, its SHA-256 checked), and
    /// <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> links to it. A cached file is returned without a request.
    /// </summary>
    /// <returns>The snapshot path of the file.</returns>
    /// <exception cref="HubException">The download failed or offline mode is on and the file is not cached.</exception>
    public Task<string> DownloadAsync(HfPath file, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DownloadAsync(file, progress, null, cancellationToken);

    /// <summary>
    /// As <see cref="DownloadAsync(HfPath, IProgress{DownloadProgress}?, CancellationToken)"/>, for a reference from an
    /// untrusted source: the file's size, the time taken and the content are held to <paramref name="policy"/>.
    /// The Hub itself is the configured endpoint, so its address is not checked.
    /// </summary>
    public Task<string> DownloadAsync(HfPath file, DownloadPolicy? policy, IProgress<DownloadProgress>? progress = null,
                                      CancellationToken cancellationToken = default) =>
        DownloadAsync(file, progress, policy, cancellationToken);

    private async Task<string> DownloadAsync(HfPath file, IProgress<DownloadProgress>? progress, DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_cache.TryGetCached(file) is { } cached)
            return cached;
        if (Options.Offline)
            throw new HubException(HubErrorKind.Offline,
                $"{file} is not in the Hugging Face cache ({Options.CacheDirectory}) and offline mode is on (HF_HUB_OFFLINE). " +
                "Download it once with network access, or turn offline mode off.");

        using var deadline = Deadline(policy, cancellationToken);
        try
        {
            return await DownloadBlobAsync(file, progress, policy, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(file.ToString(), policy!);
        }
    }

    private async Task<string> DownloadBlobAsync(HfPath file, IProgress<DownloadProgress>? progress, DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        FileMetadata metadata = await _http.GetMetadataAsync(file, cancellationToken);
        _cache.WriteRef(file, metadata.CommitHash);
        string pointer = _cache.PointerPath(file, metadata.CommitHash);
        if (File.Exists(pointer))
            return pointer;
        string blob = _cache.BlobPath(file.RepoId, metadata.Etag);
        using (await BlobLock.AcquireAsync(_cache.LockPath(file.RepoId, metadata.Etag), cancellationToken))
        {
            if (!File.Exists(blob))   // else another download finished it while this one waited
            {
                Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
                string incomplete = blob + ".incomplete";
                await _http.DownloadAsync(metadata.Location, incomplete, metadata.Size, metadata.IsSha256 ? metadata.Etag : null, file,
                                          file.FilePath, progress, policy, cancellationToken);
                Accept(incomplete, metadata.Location, policy);
                File.Move(incomplete, blob, overwrite: true);
            }
            HubCache.LinkPointer(blob, pointer);
        }
        return pointer;
    }

    /// <summary>
    /// Downloads a plain http(s) URL (a voice given by URL) into the Pocket TTS cache, as the reference's
    /// <c>download_if_necessary</c> does: the file is named by the SHA-256 of the URL text plus its extension, so
    /// the Python package and this one share entries. A cached file is returned without a request.
    /// </summary>
    /// <returns>The cached file's path.</returns>
    /// <exception cref="HubException">The download failed or offline mode is on and the file is not cached.</exception>
    public Task<string> DownloadUrlAsync(Uri url, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        DownloadUrlAsync(url, progress, null, cancellationToken);

    /// <summary>
    /// As <see cref="DownloadUrlAsync(Uri, IProgress{DownloadProgress}?, CancellationToken)"/>, for a URL from an
    /// untrusted source: the addresses reached (after DNS resolution, on every redirect), the size, the time taken and
    /// the content are held to <paramref name="policy"/>. Nothing is left in the cache when it fails: the bytes go to
    /// a name of their own and are renamed into place only once accepted.
    /// </summary>
    /// <exception cref="HubException">The download failed or was refused; see <see cref="HubException.Kind"/>.</exception>
    public Task<string> DownloadUrlAsync(Uri url, DownloadPolicy policy, IProgress<DownloadProgress>? progress = null,
                                         CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return DownloadUrlAsync(url, progress, policy, cancellationToken);
    }

    private async Task<string> DownloadUrlAsync(Uri url, IProgress<DownloadProgress>? progress, DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"'{url}' is not an http:// or https:// URL.", nameof(url));
        string name = UrlCacheName(url.OriginalString);
        string path = Path.Join(Options.PocketTtsCacheDirectory, name);
        if (File.Exists(path))
            return path;
        if (Options.Offline)
            throw new HubException(HubErrorKind.Offline,
                $"{url.OriginalString} is not in the Pocket TTS cache ({Options.PocketTtsCacheDirectory}) and offline mode is on (HF_HUB_OFFLINE). " +
                "Download it once with network access, or turn offline mode off.", url);
        if (policy is null)
        {
            using (await BlobLock.AcquireAsync(Path.Join(Options.PocketTtsCacheDirectory, ".locks", name + ".lock"), cancellationToken))
            {
                if (!File.Exists(path))
                {
                    Directory.CreateDirectory(Options.PocketTtsCacheDirectory);
                    string incomplete = path + ".incomplete";
                    await _http.DownloadAsync(url, incomplete, expectedSize: null, expectedSha256: null, file: null, url.OriginalString, progress, policy: null, cancellationToken);
                    File.Move(incomplete, path, overwrite: true);
                }
            }
            return path;
        }

        // No lock file: a capped download is small, and two processes fetching the same URL at once each write their
        // own name and rename the same content into place.
        Directory.CreateDirectory(Options.PocketTtsCacheDirectory);
        string own = $"{path}.{Guid.NewGuid():N}.incomplete";
        using var deadline = Deadline(policy, cancellationToken);
        try
        {
            HubHttp http = policy.AllowPrivateAddresses ? _anyAddress : _publicOnly;
            await http.DownloadAsync(url, own, expectedSize: null, expectedSha256: null, file: null, url.OriginalString, progress, policy, deadline.Token);
            Accept(own, url, policy);
            File.Move(own, path, overwrite: true);
            return path;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(url.OriginalString, policy);
        }
        finally
        {
            File.Delete(own);   // absent once renamed; on any failure, the partial or refused bytes
        }
    }

    /// <summary>Cancels an untrusted download at the policy's total timeout (a plain link to the caller's token without one).</summary>
    private static CancellationTokenSource Deadline(DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (policy is not null)
            deadline.CancelAfter(policy.TotalTimeout);
        return deadline;
    }

    private static HubException TimedOut(string what, DownloadPolicy policy) =>
        new(HubErrorKind.Network, $"Could not download {what}: it did not finish within {policy.TotalTimeout.TotalSeconds:0} s.");

    /// <summary>Deletes and refuses a complete download the policy does not accept, so that it never enters the cache.</summary>
    private static void Accept(string downloaded, Uri url, DownloadPolicy? policy)
    {
        if (policy?.AcceptContent is not { } accept || accept(downloaded))
            return;
        File.Delete(downloaded);
        throw new HubException(HubErrorKind.InvalidContent, $"Could not use {url}: its content is not of a kind that was asked for; it was discarded.", url);
    }

    /// <summary>
    /// <c>sha256(url).hexdigest() + "." + url.split(".")[-1]</c>, the reference's cache name. Where that "extension"
    /// is not a plain word (a URL with no dot in its last segment) the path's own extension is used, or none.
    /// </summary>
    internal static string UrlCacheName(string url)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
        string extension = url[(url.LastIndexOf('.') + 1)..];
        if (!IsPlainExtension(extension))
        {
            extension = Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? Path.GetExtension(parsed.AbsolutePath).TrimStart('.') : "";
            if (!IsPlainExtension(extension))
                return hash;
        }
        return $"{hash}.{extension}";
    }

    private static bool IsPlainExtension(string text) => text.Length is > 0 and <= 16 && text.All(char.IsAsciiLetterOrDigit);

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _publicOnly.Dispose();
        _anyAddress.Dispose();
    }
}
