using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace PocketTts.Host.Plugins;

/// <summary>A plugin package fetched from a feed: its id as the package spells it, its version and the feed.</summary>
internal sealed record DownloadedPackage(string Id, NuGetVersion Version, string Source);

/// <summary>
/// Finds and downloads a package from NuGet feeds: the one given with <c>--source</c> (a URL or a local folder), or
/// every enabled source of the nuget.config files that apply to the working folder (NuGet's own settings rules:
/// the folder's nuget.config files, then the user's).
/// </summary>
internal static class PluginPackageFeed
{
    /// <summary>The largest package archive downloaded.</summary>
    public const long MaxPackageBytes = 2L << 30;

    /// <summary>
    /// Downloads package <paramref name="id"/> (version <paramref name="version"/>, else the highest stable one, else
    /// the highest) into file <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="UsageException">No feed has it; the message names the feeds asked and those that failed.</exception>
    public static async Task<DownloadedPackage> DownloadAsync(string id, string? version, string? source, string destination, string workingDirectory, CancellationToken cancellationToken)
    {
        NuGetVersion? wanted = null;
        if (version is not null && !NuGetVersion.TryParse(version, out wanted))
            throw new UsageException($"--version '{version}' is not a NuGet version.");
        IReadOnlyList<PackageSource> sources = source is not null
            ? [new PackageSource(Uri.TryCreate(source, UriKind.Absolute, out Uri? uri) && !uri.IsFile ? source : Path.GetFullPath(source, workingDirectory))]
            : [.. PackageSourceProvider.LoadPackageSources(Settings.LoadDefaultSettings(workingDirectory)).Where(s => s.IsEnabled)];
        if (sources.Count == 0)
            throw new UsageException("No NuGet feed is configured: name one with --source.");

        using var cache = new SourceCacheContext { NoCache = true, DirectDownload = true };
        var failures = new List<string>();
        (FindPackageByIdResource Resource, NuGetVersion Version, PackageSource Source)? best = null;
        foreach (PackageSource feed in sources)
        {
            try
            {
                var resource = await Repository.Factory.GetCoreV3(feed).GetResourceAsync<FindPackageByIdResource>(cancellationToken)
                    ?? throw new InvalidOperationException("it offers no package lookup");
                var versions = (await resource.GetAllVersionsAsync(id, cache, NullLogger.Instance, cancellationToken) ?? []).ToList();
                NuGetVersion? found = wanted is not null ? versions.FirstOrDefault(v => v == wanted) : versions.Where(v => !v.IsPrerelease).Max() ?? versions.Max();
                if (found is not null && (best is null || found > best.Value.Version))
                    best = (resource, found, feed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                failures.Add($"{feed.Source} failed: {ex.Message}");
            }
        }
        if (best is not { } chosen)
        {
            string what = wanted is null ? $"Package {id}" : $"Package {id} {wanted}";
            string failed = failures.Count == 0 ? "" : $" ({string.Join("; ", failures)})";
            throw new UsageException($"{what} was not found on {string.Join(", ", sources.Select(s => s.Source))}{failed}.");
        }

        await using (var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write))
        await using (var capped = new CappedWriteStream(file, MaxPackageBytes, $"package {id}"))
        {
            if (!await chosen.Resource.CopyNupkgToStreamAsync(id, chosen.Version, capped, cache, NullLogger.Instance, cancellationToken))
                throw new UsageException($"Package {id} {chosen.Version} could not be downloaded from {chosen.Source.Source}.");
        }
        string packageId;
        try
        {
            using var reader = new PackageArchiveReader(destination);
            packageId = reader.NuspecReader.GetId();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"package {id} {chosen.Version} from {chosen.Source.Source} has no readable nuspec: {ex.Message}", ex);
        }
        if (!string.Equals(packageId, id, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{chosen.Source.Source} served package '{packageId}' when {id} was asked for");
        return new DownloadedPackage(packageId, chosen.Version, chosen.Source.Source);
    }
}
