namespace PocketTts.Hub;

/// <summary>
/// The Hugging Face cache layout, exactly as <c>huggingface_hub</c> writes it, so either tool reuses the other's files:
/// <code>
/// &lt;cache&gt;/models--&lt;org&gt;--&lt;name&gt;/
///     blobs/&lt;etag&gt;                          the content, named by its sha256 (LFS) or git sha1
///     blobs/&lt;etag&gt;.incomplete               a download in progress, resumed from where it stopped
///     snapshots/&lt;commit&gt;/&lt;path/in/repo&gt;   relative symlink to ../…/blobs/&lt;etag&gt; (a copy where links fail)
///     refs/&lt;revision&gt;                      the commit a branch or tag pointed to when last resolved
/// &lt;cache&gt;/.locks/models--&lt;org&gt;--&lt;name&gt;/&lt;etag&gt;.lock   held while the blob downloads
/// </code>
/// </summary>
internal sealed class HubCache(string root)
{
    public string Root { get; } = root;

    public string StorageFolder(string repoId) => Path.Join(Root, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    public string BlobPath(string repoId, string etag) => Path.Join(StorageFolder(repoId), "blobs", etag);

    public string LockPath(string repoId, string etag) => Path.Join(Root, ".locks", Path.GetFileName(StorageFolder(repoId)), etag + ".lock");

    public string PointerPath(HfPath file, string commitHash) =>
        Path.Join(StorageFolder(file.RepoId), "snapshots", commitHash, ToLocal(file.FilePath));

    /// <summary>The cached file for this reference without asking the server: a commit hash names its snapshot,
    /// a branch or tag goes through its <c>refs</c> entry. Null when not cached.</summary>
    public string? TryGetCached(HfPath file)
    {
        string? commit = file.IsCommitHash ? file.Revision : ReadRef(file.RepoId, file.Revision);
        if (commit is null)
            return null;
        string pointer = PointerPath(file, commit);
        return File.Exists(pointer) ? pointer : null;   // follows the link: a dangling one counts as absent
    }

    /// <summary>Records which commit a branch or tag resolved to (<c>_cache_commit_hash_for_specific_revision</c>).</summary>
    public void WriteRef(HfPath file, string commitHash)
    {
        if (file.Revision == commitHash)
            return;
        string path = RefPath(file.RepoId, file.Revision);
        if (File.Exists(path) && File.ReadAllText(path) == commitHash)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, commitHash);   // no newline, as huggingface_hub writes it
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Points a snapshot entry at its blob: a relative symlink, or a copy where symlinks are not allowed
    /// (Windows without developer mode). Either way the entry appears at once, complete.</summary>
    public static void LinkPointer(string blobPath, string pointerPath)
    {
        string folder = Path.GetDirectoryName(pointerPath)!;
        Directory.CreateDirectory(folder);
        string temporary = $"{pointerPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.CreateSymbolicLink(temporary, Path.GetRelativePath(folder, blobPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blobPath, temporary, overwrite: true);
        }
        File.Move(temporary, pointerPath, overwrite: true);
    }

    private string? ReadRef(string repoId, string revision)
    {
        string path = RefPath(repoId, revision);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { } commit && HfPath.IsCommitHashText(commit) ? commit : null;
    }

    private string RefPath(string repoId, string revision) => Path.Join(StorageFolder(repoId), "refs", ToLocal(revision));

    private static string ToLocal(string repoPath) => repoPath.Replace('/', Path.DirectorySeparatorChar);
}
