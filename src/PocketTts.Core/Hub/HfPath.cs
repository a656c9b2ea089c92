using System.Text.RegularExpressions;

namespace PocketTts.Hub;

/// <summary>
/// A file in a Hugging Face model repository, written as the reference writes it:
/// <c>hf://&lt;org&gt;/&lt;repo&gt;/&lt;path/in/repo&gt;@&lt;revision&gt;</c>, the revision being optional
/// (<c>main</c>). Parsing follows <c>download_if_necessary</c> in <c>pocket_tts/utils/utils.py</c>: the first two
/// segments are the repository, the rest is the path, and the text after <c>@</c> is the revision.
/// </summary>
public sealed partial record HfPath
{
    /// <summary>The prefix of every Hugging Face reference.</summary>
    public const string Prefix = "hf://";

    /// <summary>The revision used when a reference names none.</summary>
    public const string DefaultRevision = "main";

    private const string Syntax = "expected hf://<org>/<repo>/<path/in/repo>[@<revision>], " +
                                  "e.g. hf://kyutai/pocket-tts/languages/english/model.safetensors@<commit>";

    /// <summary>Creates a reference after checking each part.</summary>
    /// <param name="repoId">The repository, <c>org/name</c>.</param>
    /// <param name="filePath">The file's path inside the repository, segments separated by <c>/</c>.</param>
    /// <param name="revision">A branch, tag or 40-character commit hash.</param>
    /// <exception cref="FormatException">A part is not valid; the message says which and why.</exception>
    public HfPath(string repoId, string filePath, string revision = DefaultRevision)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(revision);
        string where = $"{Prefix}{repoId}/{filePath}@{revision}";
        string[] repo = repoId.Split('/');
        if (repo.Length != 2)
            throw Invalid(where, $"the repository '{repoId}' must be <org>/<name>");
        foreach (string part in repo)
        {
            if (!IsValidRepoPart(part))
                throw Invalid(where, $"'{part}' is not a valid organisation or repository name (letters, digits, " +
                                     "'-', '_' and '.', not starting or ending with '-' or '.', no '--' or '..')");
        }
        if (filePath.Length == 0)
            throw Invalid(where, "it names no file inside the repository");
        foreach (string segment in filePath.Split('/'))
        {
            if (segment.Length == 0)
                throw Invalid(where, $"the file path '{filePath}' has an empty segment");
            if (segment is "." or ".." || segment.Contains('\\', StringComparison.Ordinal))
                throw Invalid(where, $"the file path '{filePath}' has a '{segment}' segment");
        }
        if (revision.Length == 0)
            throw Invalid(where, "the revision after '@' is empty");
        if (revision.Split('/').Any(s => s is "" or "." or "..") || revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\'))
            throw Invalid(where, $"'{revision}' is not a valid revision");
        RepoId = repoId;
        FilePath = filePath;
        Revision = revision;
    }

    /// <summary>The repository, <c>org/name</c>.</summary>
    public string RepoId { get; }

    /// <summary>The file's path inside the repository, segments separated by <c>/</c>.</summary>
    public string FilePath { get; }

    /// <summary>A branch, tag or commit hash.</summary>
    public string Revision { get; }

    /// <summary>The file name, the last segment of <see cref="FilePath"/>.</summary>
    public string FileName => FilePath[(FilePath.LastIndexOf('/') + 1)..];

    /// <summary>Whether <see cref="Revision"/> is a full commit hash, which names content that never changes.</summary>
    public bool IsCommitHash => IsCommitHashText(Revision);

    /// <summary>Whether <paramref name="value"/> starts with <c>hf://</c>.</summary>
    public static bool IsHfPath(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Parses <c>hf://&lt;org&gt;/&lt;repo&gt;/&lt;path&gt;[@&lt;revision&gt;]</c>.</summary>
    /// <exception cref="FormatException">The text is not such a reference; the message says why.</exception>
    public static HfPath Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsHfPath(value))
            throw Invalid(value, $"it does not start with {Prefix}");
        string rest = value[Prefix.Length..];
        string revision = DefaultRevision;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (rest.IndexOf('@', at + 1) >= 0)
                throw Invalid(value, "it has more than one '@'");
            revision = rest[(at + 1)..];
            rest = rest[..at];
        }
        string[] segments = rest.Split('/', 3);
        if (segments.Length < 3)
            throw Invalid(value, "it names no file inside the repository");
        return new HfPath($"{segments[0]}/{segments[1]}", segments[2], revision);
    }

    /// <summary>Whether the text is a full, lower-case, 40-digit commit hash.</summary>
    internal static bool IsCommitHashText(string text) => CommitHashPattern().IsMatch(text);

    /// <summary>The <c>resolve</c> URL of this file under a Hub endpoint, as <c>hf_hub_url</c> builds it.</summary>
    internal Uri ResolveUri(Uri endpoint)
    {
        string path = string.Join('/', FilePath.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{RepoId}/resolve/{Uri.EscapeDataString(Revision)}/{path}");
    }

    /// <summary>The repository's page under a Hub endpoint (where its terms are accepted).</summary>
    internal Uri RepoPageUri(Uri endpoint) => new($"{endpoint.AbsoluteUri.TrimEnd('/')}/{RepoId}");

    /// <summary>The canonical form, <c>hf://org/repo/path@revision</c>.</summary>
    public override string ToString() => $"{Prefix}{RepoId}/{FilePath}@{Revision}";

    private static bool IsValidRepoPart(string part) =>
        RepoPartPattern().IsMatch(part) && !part.Contains("--", StringComparison.Ordinal) && !part.Contains("..", StringComparison.Ordinal);

    private static FormatException Invalid(string value, string reason) =>
        new($"'{value}' is not a valid Hugging Face file reference: {reason}; {Syntax}.");

    [GeneratedRegex("^[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$")]
    private static partial Regex RepoPartPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHashPattern();
}
