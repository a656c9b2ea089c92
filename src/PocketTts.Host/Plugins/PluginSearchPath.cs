namespace PocketTts.Host.Plugins;

/// <summary>
/// Where backend plugins are looked for: <c>plugins/</c> next to the host, then every folder named by
/// <c>--plugins-dir</c>, then those in <c>POCKET_TTS_PLUGINS</c> (separated by the platform's path separator).
/// Each root holds one sub-folder per plugin.
/// </summary>
internal static class PluginSearchPath
{
    public const string EnvironmentVariable = "POCKET_TTS_PLUGINS";

    public static IReadOnlyList<string> Resolve(IEnumerable<string> extraDirectories, string? environmentValue)
    {
        var roots = new List<string> { Path.Combine(AppContext.BaseDirectory, "plugins") };
        roots.AddRange(extraDirectories);
        if (!string.IsNullOrWhiteSpace(environmentValue))
            roots.AddRange(environmentValue.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return [.. roots.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
    }
}
