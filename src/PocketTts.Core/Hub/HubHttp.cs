using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;

namespace PocketTts.Hub;

/// <summary>
/// The HTTP side of downloads: HEAD for metadata, resumable GET into a <c>.incomplete</c> file, verification.
/// Redirects are followed here rather than by the handler so that the token goes to the Hub's own host only:
/// a redirect to a CDN carries a signed URL and must not leak the user's credentials. Only http and https are
/// followed. With a <see cref="DownloadPolicy"/> (an untrusted URL) the download is bounded in bytes and time, is not
/// resumed, leaves no partial file behind, and every network failure reads the same, so that the errors cannot be
/// used to map which hosts and ports answer.
/// </summary>
internal sealed class HubHttp : IDisposable
{
    private const int MaxRedirects = 10;
    private const int MaxAttempts = 4;   // the first try and three resumes after a broken transfer
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string? _token;

    /// <param name="endpoint">The Hub, the only host the token is sent to.</param>
    /// <param name="token">The Hub access token, or null.</param>
    /// <param name="publicOnly">Connect to public addresses only (<see cref="PublicAddressConnector"/>), without a proxy.</param>
    public HubHttp(Uri endpoint, string? token, bool publicOnly = false)
    {
        _endpoint = endpoint;
        _token = token;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,   // sizes and hashes are of the raw bytes
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (publicOnly)
        {
            handler.ConnectCallback = PublicAddressConnector.ConnectAsync;
            handler.UseProxy = false;   // a proxy would resolve and connect where the address cannot be checked
        }
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };   // bounded per phase below
        string version = typeof(HubHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("pocket-tts-dotnet", version.Split('+')[0]));
    }

    /// <summary>HEAD on the file's resolve URL, following only relative redirects (a renamed repository), as
    /// <c>get_hf_file_metadata</c> does; an absolute redirect is the CDN location of the bytes.</summary>
    public async Task<FileMetadata> GetMetadataAsync(HfPath file, CancellationToken cancellationToken)
    {
        (HttpResponseMessage response, Uri url) = await SendAsync(HttpMethod.Head, file.ResolveUri(_endpoint), followAbsoluteRedirects: false, 0, null, cancellationToken);
        using (response)
        {
            if (!response.IsSuccessStatusCode && !IsRedirect(response.StatusCode))
                throw StatusError(response, url, file);
            return FileMetadata.FromHeadResponse(response, url);
        }
    }

    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="incompletePath"/>, continuing a partial file with a
    /// <c>Range</c> request and resuming up to three times when the transfer breaks, then checks the size and, when
    /// given, the SHA-256. A file that fails the checks is deleted; a cancelled one is kept for the next try. With a
    /// <paramref name="policy"/> there is one attempt, bounded by its size and read timeout, and the file is deleted
    /// on any failure.
    /// </summary>
    /// <param name="url">Where the bytes are.</param>
    /// <param name="incompletePath">The partial file, created or continued.</param>
    /// <param name="expectedSize">The size announced by the metadata, or null to trust the response.</param>
    /// <param name="expectedSha256">Lower-case hex SHA-256 of the content, or null when not known.</param>
    /// <param name="file">The Hub file being downloaded, for error messages; null for a plain URL.</param>
    /// <param name="fileName">Reported in progress.</param>
    /// <param name="progress">Receives progress at most every 100 ms, and once at the end.</param>
    /// <param name="policy">The limits of an untrusted download, or null.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    public async Task DownloadAsync(Uri url, string incompletePath, long? expectedSize, string? expectedSha256, HfPath? file,
                                    string fileName, IProgress<DownloadProgress>? progress, DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        if (policy is null)
        {
            await DownloadAsync(url, incompletePath, expectedSize, expectedSha256, file, fileName, progress, cancellationToken);
            return;
        }
        if (expectedSize > policy.MaxBytes)
            throw TooLarge(url, policy);
        try
        {
            await TransferAsync(url, incompletePath, expectedSize, file, fileName, progress, policy, cancellationToken);
            await VerifyAsync(url, incompletePath, expectedSize, expectedSha256, cancellationToken);
        }
        catch
        {
            File.Delete(incompletePath);
            throw;
        }
    }

    private async Task DownloadAsync(Uri url, string incompletePath, long? expectedSize, string? expectedSha256, HfPath? file,
                                     string fileName, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(url, incompletePath, expectedSize, file, fileName, progress, null, cancellationToken);
                break;
            }
            catch (HubException e) when (e.Kind == HubErrorKind.Network && attempt < MaxAttempts)
            {
                await Task.Delay(RetryDelay * attempt, cancellationToken);
            }
        }
        await VerifyAsync(url, incompletePath, expectedSize, expectedSha256, cancellationToken);
    }

    private static async Task VerifyAsync(Uri url, string incompletePath, long? expectedSize, string? expectedSha256, CancellationToken cancellationToken)
    {
        long actual = new FileInfo(incompletePath).Length;
        if (expectedSize is long size && actual != size)
        {
            File.Delete(incompletePath);
            throw new HubException(HubErrorKind.Integrity,
                $"The download of {url} has {actual} bytes but the server announced {size}; it was discarded. Try again.", url);
        }
        if (expectedSha256 is not null)
        {
            string sha256 = await Sha256Async(incompletePath, cancellationToken);
            if (sha256 != expectedSha256)
            {
                File.Delete(incompletePath);
                throw new HubException(HubErrorKind.Integrity,
                    $"The download of {url} is corrupt: its SHA-256 is {sha256}, the server announced {expectedSha256}; " +
                    "it was discarded. Try again.", url);
            }
        }
    }

    private async Task TransferAsync(Uri url, string incompletePath, long? expectedSize, HfPath? file, string fileName,
                                     IProgress<DownloadProgress>? progress, DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        long offset = File.Exists(incompletePath) ? new FileInfo(incompletePath).Length : 0;
        if (offset > expectedSize)
        {
            File.Delete(incompletePath);
            offset = 0;
        }
        if (offset > 0 && offset == expectedSize)
        {
            progress?.Report(new DownloadProgress(fileName, offset, expectedSize));
            return;   // a previous run got every byte and stopped before the rename
        }

        (HttpResponseMessage response, Uri finalUrl) = await SendAsync(HttpMethod.Get, url, followAbsoluteRedirects: true, offset, policy, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
        {
            // The partial file is not a prefix of what the server has now: start over.
            response.Dispose();
            File.Delete(incompletePath);
            offset = 0;
            (response, finalUrl) = await SendAsync(HttpMethod.Get, url, followAbsoluteRedirects: true, 0, policy, cancellationToken);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw StatusError(response, finalUrl, file);
            bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (resumed && response.Content.Headers.ContentRange?.From != offset)
                throw new HubException(HubErrorKind.Http,
                    $"{finalUrl} answered a request for bytes {offset}- with the range '{response.Content.Headers.ContentRange}'.", finalUrl, 206);
            if (!resumed)
                offset = 0;   // 200: the server ignored the Range header and sends everything
            long? total = expectedSize ?? (response.Content.Headers.ContentLength is long length ? offset + length : null);
            if (total > policy?.MaxBytes)
                throw TooLarge(url, policy!);   // announced: refused before a byte is read

            await using var output = new FileStream(incompletePath, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await CopyAsync(body, output, offset, total, finalUrl, fileName, progress, policy, cancellationToken);
        }
    }

    private static async Task CopyAsync(Stream body, FileStream output, long done, long? total, Uri url, string fileName,
                                        IProgress<DownloadProgress>? progress, DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        TimeSpan stallTimeout = policy?.ReadTimeout ?? StallTimeout;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 18);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            progress?.Report(new DownloadProgress(fileName, done, total));
            long lastReport = Stopwatch.GetTimestamp();
            while (true)
            {
                stall.CancelAfter(stallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw policy is not null ? Unreachable(url) : new HubException(HubErrorKind.Network, $"Could not download {url}: no data arrived for {stallTimeout.TotalSeconds:0} s.", url);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)   // a network read: the connection broke
                {
                    throw NetworkError(url, e, policy);
                }
                if (read == 0)
                    break;
                if (done + read > policy?.MaxBytes)
                    throw TooLarge(url, policy!);   // a server that announced less, or nothing, is cut off at the limit
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                if (progress is not null && Stopwatch.GetElapsedTime(lastReport) >= ProgressInterval)
                {
                    progress.Report(new DownloadProgress(fileName, done, total));
                    lastReport = Stopwatch.GetTimestamp();
                }
            }
            progress?.Report(new DownloadProgress(fileName, done, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<(HttpResponseMessage Response, Uri Url)> SendAsync(HttpMethod method, Uri url, bool followAbsoluteRedirects, long rangeFrom,
                                                                          DownloadPolicy? policy, CancellationToken cancellationToken)
    {
        TimeSpan headersTimeout = policy?.ReadTimeout ?? HeadersTimeout;
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            if (_token is not null && SameAuthority(url, _endpoint))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            if (rangeFrom > 0)
                request.Headers.Range = new RangeHeaderValue(rangeFrom, null);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));

            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(headersTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw policy is not null ? Unreachable(url) : new HubException(HubErrorKind.Network, $"Could not download {url}: no answer within {headersTimeout.TotalSeconds:0} s.", url);
                }
                catch (HttpRequestException e) when (e.InnerException is HubException { Kind: HubErrorKind.Refused } refused)
                {
                    throw new HubException(HubErrorKind.Refused, $"Could not download {url}: {refused.Message}.", url);
                }
                catch (HttpRequestException e)
                {
                    throw NetworkError(url, e, policy);
                }
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location ||
                (location.IsAbsoluteUri && !followAbsoluteRedirects))
                return (response, url);
            response.Dispose();
            var next = new Uri(url, location);
            if (hop == MaxRedirects)
                throw new HubException(HubErrorKind.Http, $"Could not download {url}: more than {MaxRedirects} redirects.", url);
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                throw new HubException(HubErrorKind.Refused, $"Could not download {url}: it redirects to a {next.Scheme}: URL; only http and https are followed.", url);
            if (url.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                throw new HubException(HubErrorKind.Refused, $"Could not download {url}: it redirects from https to the insecure {next}.", url);
            url = next;
        }
    }

    /// <summary>A clear error for a status that is neither success nor a redirect being followed.</summary>
    private HubException StatusError(HttpResponseMessage response, Uri url, HfPath? file)
    {
        int status = (int)response.StatusCode;
        string? code = response.Headers.TryGetValues("X-Error-Code", out IEnumerable<string>? codes) ? codes.FirstOrDefault() : null;
        string detail = response.Headers.TryGetValues("X-Error-Message", out IEnumerable<string>? messages) ? $" The server says: {messages.First()}" : "";
        bool fromHub = file is not null && SameAuthority(url, _endpoint);
        if (fromHub && code == "RepoNotFound")
            return new HubException(HubErrorKind.NotFound,
                $"The repository {file!.RepoId} does not exist, or is private and no token with access to it was sent (HTTP {status}: {url}).{detail}",
                url, status);
        if (status is 401 or 403 && fromHub)
        {
            string token = _token is null
                ? "No token was sent."
                : "A token was sent, but its account has not been granted access (accept the terms with the account that owns the token).";
            return new HubException(HubErrorKind.AccessDenied,
                $"Access to {file} was refused (HTTP {status} from {url}): the repository {file!.RepoId} is gated. " +
                $"Accept its terms on {file.RepoPageUri(_endpoint)} while logged in, then set HF_TOKEN to an access token of " +
                $"that account or log in with `huggingface-cli login`. {token}{detail}", url, status);
        }
        if (status is 401 or 403)
            return new HubException(HubErrorKind.AccessDenied, $"Access to {url} was refused (HTTP {status}).{detail}", url, status);
        if (status == 404)
        {
            string what = (fromHub, code) switch
            {
                (true, "EntryNotFound") => $"The file {file!.FilePath} does not exist in {file.RepoId} at revision {file.Revision}",
                (true, "RevisionNotFound") => $"The revision {file!.Revision} does not exist in {file.RepoId}",
                (true, _) => $"{file} was not found (check the repository, the file path and the revision)",
                _ => "Not found",
            };
            return new HubException(HubErrorKind.NotFound, $"{what}: HTTP 404 from {url}.{detail}", url, status);
        }
        return new HubException(HubErrorKind.Http, $"Could not download {url}: HTTP {status} {response.ReasonPhrase}.{detail}", url, status);
    }

    private static HubException NetworkError(Uri url, Exception cause, DownloadPolicy? policy)
    {
        if (policy is not null)
            return Unreachable(url);
        // A socket error's message is usually already part of its HttpRequestException's ("… (host:443)"): say it once.
        string reason = cause.InnerException is { } inner && !cause.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{cause.Message} ({inner.Message})" : cause.Message;
        return new HubException(HubErrorKind.Network, $"Could not download {url}: {reason}", url, innerException: cause);
    }

    /// <summary>The one message of every network failure of an untrusted download: refused, unreachable, reset, timed out.</summary>
    private static HubException Unreachable(Uri url) =>
        new(HubErrorKind.Network, $"Could not download {url}: the host could not be reached or did not answer in time.", url);

    private static HubException TooLarge(Uri url, DownloadPolicy policy) =>
        new(HubErrorKind.TooLarge, $"Could not download {url}: it is larger than the limit of {policy.MaxBytes / (1024.0 * 1024):0.#} MiB.", url);

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private static bool SameAuthority(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    public void Dispose() => _http.Dispose();
}
