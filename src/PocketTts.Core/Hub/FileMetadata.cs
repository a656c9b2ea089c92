using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace PocketTts.Hub;

/// <summary>
/// What a HEAD request on a <c>resolve</c> URL says about a file (<c>get_hf_file_metadata</c> in
/// <c>huggingface_hub/file_download.py</c>). For an LFS file the Hub answers with a redirect to its CDN and
/// describes the linked blob in <c>X-Linked-Etag</c> (its sha256) and <c>X-Linked-Size</c>; for a file stored in
/// git it answers 200 with the git blob sha1 as <c>ETag</c>.
/// </summary>
/// <param name="CommitHash">The commit the revision resolved to (<c>X-Repo-Commit</c>).</param>
/// <param name="Etag">The blob's name in the cache: sha256 for LFS files, git sha1 otherwise.</param>
/// <param name="Size">The file's size in bytes, or null when the server did not say.</param>
/// <param name="Location">Where to GET the bytes: the CDN URL of a redirect, else the resolve URL.</param>
internal sealed partial record FileMetadata(string CommitHash, string Etag, long? Size, Uri Location)
{
    /// <summary>An LFS blob is named by its SHA-256, which the download is checked against.</summary>
    public bool IsSha256 => Sha256Pattern().IsMatch(Etag);

    public static FileMetadata FromHeadResponse(HttpResponseMessage response, Uri requestUri)
    {
        string? commit = Header(response.Headers, "X-Repo-Commit");
        string? etag = NormalizeEtag(Header(response.Headers, "X-Linked-Etag") ?? Header(response.Headers, "ETag"));
        string where = requestUri.AbsoluteUri;
        if (commit is null || !HfPath.IsCommitHashText(commit))
            throw new HubException(HubErrorKind.Http,
                $"{where} did not name the commit it serves (X-Repo-Commit header {(commit is null ? "missing" : $"'{commit}'")}); " +
                "is HF_ENDPOINT a Hugging Face Hub?", requestUri, (int)response.StatusCode);
        if (etag is null || !EtagPattern().IsMatch(etag))
            throw new HubException(HubErrorKind.Http,
                $"{where} gave no usable ETag ({(etag is null ? "missing" : $"'{etag}'")}), so the file cannot be cached reproducibly.",
                requestUri, (int)response.StatusCode);
        long? size = long.TryParse(Header(response.Headers, "X-Linked-Size"), out long linked) ? linked : response.Content.Headers.ContentLength;
        Uri location = response.Headers.Location is { } redirect ? new Uri(requestUri, redirect) : requestUri;
        return new FileMetadata(commit, etag, size, location);
    }

    /// <summary><c>_normalize_etag</c>: drops the weak prefix <c>W/</c> and the quotes.</summary>
    public static string? NormalizeEtag(string? etag)
    {
        if (etag is null)
            return null;
        if (etag.StartsWith("W/", StringComparison.Ordinal))
            etag = etag[2..];
        return etag.Trim('"');
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    // The etag becomes a file name: letters, digits, '-', '_' and '.', never a path.
    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex EtagPattern();
}
