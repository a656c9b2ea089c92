namespace PocketTts.Hub;

/// <summary>
/// Where a model file comes from, as configurations and users write it: an <c>hf://</c> reference, a plain
/// <c>http(s)://</c> URL, or a local path. <see cref="HubClient.ResolveAsync(ModelFileReference, IProgress{DownloadProgress}?, CancellationToken)"/>
/// turns any of them into a file on the local disk.
/// </summary>
public abstract record ModelFileReference
{
    private ModelFileReference() { }

    /// <summary>A file in a Hugging Face repository, downloaded into the Hugging Face cache.</summary>
    /// <param name="Path">The file.</param>
    public sealed record HubFile(HfPath Path) : ModelFileReference
    {
        /// <inheritdoc/>
        public override string ToString() => Path.ToString();
    }

    /// <summary>A file on a web server, downloaded into the Pocket TTS cache.</summary>
    /// <param name="Url">The URL exactly as given (its text keys the cache entry, as in the reference).</param>
    public sealed record WebFile(Uri Url) : ModelFileReference
    {
        /// <inheritdoc/>
        public override string ToString() => Url.OriginalString;
    }

    /// <summary>A file on the local disk, used where it is.</summary>
    /// <param name="FullPath">The absolute path.</param>
    public sealed record LocalFile(string FullPath) : ModelFileReference
    {
        /// <inheritdoc/>
        public override string ToString() => FullPath;
    }

    /// <summary>Parses a reference.</summary>
    /// <param name="reference"><c>hf://org/repo/path[@revision]</c>, <c>http(s)://…</c>, or a local path.</param>
    /// <param name="baseDirectory">The folder a relative local path is resolved against (the configuration's
    /// folder); null for the current directory.</param>
    /// <exception cref="FormatException">The reference is malformed or uses another scheme; the message says what is accepted.</exception>
    public static ModelFileReference Parse(string reference, string? baseDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (HfPath.IsHfPath(reference))
            return new HubFile(HfPath.Parse(reference));
        int scheme = reference.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
            return new LocalFile(System.IO.Path.GetFullPath(reference, System.IO.Path.GetFullPath(baseDirectory ?? ".")));
        if (Uri.TryCreate(reference, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            return new WebFile(url);
        throw new FormatException(
            $"'{reference}' is not a supported file reference: accepted are hf://<org>/<repo>/<path>[@<revision>], " +
            "http:// or https:// URLs, and local paths.");
    }
}
