using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PocketTts.Host.Plugins;

/// <summary>A plugin installed from a package: its package id (also its folder name), version and folder.</summary>
internal sealed record InstalledPlugin(string Id, string Version, string Folder);

/// <summary>
/// Installs backend plugins from NuGet packages into the user's plugins folder (one folder per package id) and
/// removes them. An install is all or nothing: the package is downloaded and extracted into a staging folder beside
/// the plugins folder (where the host never looks), loaded there to check the contract version, and only then renamed
/// into place; leftovers of an interrupted install are deleted by the next one.
/// </summary>
internal sealed partial class PluginInstaller(string pluginsDirectory)
{
    public string PluginsDirectory { get; } = Path.GetFullPath(pluginsDirectory);

    private string StagingDirectory => PluginsDirectory.TrimEnd(Path.DirectorySeparatorChar) + ".staging";

    /// <summary>Downloads, checks and installs package <paramref name="id"/>, replacing an installed copy.</summary>
    /// <exception cref="UsageException">Not found, or the plugin cannot be enabled; nothing was installed.</exception>
    /// <exception cref="InvalidDataException">The package is malformed, hostile or too large; nothing was installed.</exception>
    public async Task<InstalledPlugin> AddAsync(string id, string? version, string? source, string workingDirectory, CancellationToken cancellationToken)
    {
        CheckId(id);
        if (Directory.Exists(StagingDirectory))
            Directory.Delete(StagingDirectory, recursive: true);
        string staging = Directory.CreateDirectory(Path.Combine(StagingDirectory, Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            string package = Path.Combine(staging, "package.nupkg");
            DownloadedPackage downloaded = await PluginPackageFeed.DownloadAsync(id, version, source, package, workingDirectory, cancellationToken);
            CheckId(downloaded.Id);
            string what = $"{downloaded.Id} {downloaded.Version}";
            string folder = Path.Combine(staging, downloaded.Id);
            try
            {
                PluginPackageArchive.ExtractPlugin(package, RuntimeInformation.RuntimeIdentifier, folder);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"{what} cannot be installed: {ex.Message}; nothing was installed.", ex);
            }
            if (BackendPluginLoader.Inspect(folder).Error is { } error)
                throw new UsageException($"{what} cannot be enabled: {error}; nothing was installed.");

            Directory.CreateDirectory(PluginsDirectory);
            if (Find(downloaded.Id) is { } previous)
                Directory.Move(previous, Path.Combine(staging, "previous"));
            string target = Path.Combine(PluginsDirectory, downloaded.Id);
            Directory.Move(folder, target);
            return new InstalledPlugin(downloaded.Id, downloaded.Version.ToNormalizedString(), target);
        }
        finally
        {
            Directory.Delete(StagingDirectory, recursive: true);
        }
    }

    /// <summary>Deletes the installed plugin <paramref name="id"/> (case-insensitive); returns its folder.</summary>
    /// <exception cref="UsageException">No plugin of that id is installed.</exception>
    public string Remove(string id)
    {
        CheckId(id);
        string installed = string.Join(", ", Installed());
        string folder = Find(id) ?? throw new UsageException(
            $"Plugin {id} is not installed in {PluginsDirectory} (installed: {(installed.Length > 0 ? installed : "none")}).");
        // Renamed away first, so that the plugins folder never holds a half-deleted plugin.
        string doomed = Path.Combine(Directory.CreateDirectory(StagingDirectory).FullName, Guid.NewGuid().ToString("N"));
        Directory.Move(folder, doomed);
        Directory.Delete(StagingDirectory, recursive: true);
        return folder;
    }

    /// <summary>The ids of the installed plugins.</summary>
    public IEnumerable<string> Installed() => Directory.Exists(PluginsDirectory)
        ? Directory.EnumerateDirectories(PluginsDirectory).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)
        : [];

    private string? Find(string id) => Directory.Exists(PluginsDirectory)
        ? Directory.EnumerateDirectories(PluginsDirectory).FirstOrDefault(d => string.Equals(Path.GetFileName(d), id, StringComparison.OrdinalIgnoreCase))
        : null;

    /// <summary>A package id becomes a folder name: only NuGet's id characters, and not a path.</summary>
    private static void CheckId(string id)
    {
        if (!PackageId().IsMatch(id))
            throw new UsageException($"'{id}' is not a NuGet package id (letters, digits, '.', '_' and '-', starting with a letter or digit).");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$")]
    private static partial Regex PackageId();
}
