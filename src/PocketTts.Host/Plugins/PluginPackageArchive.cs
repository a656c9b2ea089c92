using System.IO.Compression;

namespace PocketTts.Host.Plugins;

/// <summary>
/// Reads a plugin package (a .nupkg), which is hostile input: every entry name is checked before anything is
/// written (no absolute path, no <c>..</c>, no backslash, nothing that lands outside the target folder), and the
/// entry count and the bytes written are capped whatever the archive claims. A plugin package holds the plugin
/// folder of each runtime it supports as <c>plugins/&lt;rid&gt;/&lt;name&gt;/</c> (build/Plugin.props).
/// </summary>
internal static class PluginPackageArchive
{
    /// <summary>The most entries an archive may have.</summary>
    public const int MaxEntries = 20_000;

    /// <summary>The most bytes a plugin folder may inflate to (LibTorch's CPU libraries are about 450 MB).</summary>
    public const long MaxExtractedBytes = 4L << 30;

    /// <summary>
    /// Extracts the plugin folder for runtime <paramref name="runtime"/> into <paramref name="destination"/>, which
    /// must not exist yet.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is malformed, hostile, too large or has no plugin for the runtime.</exception>
    public static void ExtractPlugin(string package, string runtime, string destination)
    {
        using ZipArchive zip = OpenArchive(package);
        if (zip.Entries.Count > MaxEntries)
            throw new InvalidDataException($"the package has {zip.Entries.Count} entries, more than the {MaxEntries} allowed");
        foreach (ZipArchiveEntry entry in zip.Entries)
            CheckName(entry.FullName);

        string prefix = $"plugins/{runtime}/";
        var files = zip.Entries.Where(e => e.FullName.StartsWith(prefix, StringComparison.Ordinal) && !e.FullName.EndsWith('/')).ToList();
        if (files.Count == 0)
        {
            var runtimes = zip.Entries.Select(e => e.FullName.Split('/')).Where(p => p.Length > 2 && p[0] == "plugins").Select(p => p[1]).Distinct().Order(StringComparer.Ordinal).ToList();
            throw new InvalidDataException(runtimes.Count == 0
                ? "it is not a Pocket TTS plugin package (it has no plugins/<runtime>/ folder)"
                : $"it has no plugin for this runtime, {runtime} (it has: {string.Join(", ", runtimes)})");
        }
        var names = files.Select(e => e.FullName[prefix.Length..].Split('/')).Select(p => p.Length > 1 ? p[0] : "").Distinct(StringComparer.Ordinal).ToList();
        if (names is not [{ Length: > 0 } name])
            throw new InvalidDataException($"{prefix} must hold exactly one plugin folder");

        string root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        long budget = MaxExtractedBytes;
        foreach (ZipArchiveEntry entry in files)
        {
            string target = Path.GetFullPath(Path.Join(root, entry.FullName[(prefix.Length + name.Length + 1)..]));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"package entry '{entry.FullName}' would be written outside the plugin folder");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using Stream source = entry.Open();
            using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            using var capped = new CappedWriteStream(file, budget, "the plugin folder");
            source.CopyTo(capped);
            budget -= capped.Length;
        }
    }

    private static ZipArchive OpenArchive(string package)
    {
        try
        {
            return ZipFile.OpenRead(package);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"the package is not a valid archive: {ex.Message}", ex);
        }
    }

    /// <summary>Refuses an entry name that is absolute, climbs out with <c>..</c>, or uses a separator or character a path must not have.</summary>
    private static void CheckName(string name)
    {
        bool hostile = name.Length == 0 || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || name.Contains(':', StringComparison.Ordinal) || name.StartsWith('/') || Path.IsPathRooted(name)
            || name.Split('/').Any(part => part is ".." or ".");
        if (hostile)
            throw new InvalidDataException($"package entry '{name}' has an absolute or escaping path; the package is refused");
    }
}
