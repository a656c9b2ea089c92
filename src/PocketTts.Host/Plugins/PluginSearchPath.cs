namespace PocketTts.Host.Plugins;

/// <summary>
/// Where backend plugins are looked for: <c>plugins/</c> next to the host (the built-in ones), then the user's
/// plugins folder (<see cref="UserDirectory"/>, where <c>pocket-tts plugins add</c> installs), then every folder named
/// by <c>--plugins-dir</c>, then those in <c>POCKET_TTS_PLUGINS</c> (separated by the platform's path separator).
/// Each root holds one sub-folder per plugin; when two provide a backend of the same name, the later root wins.
/// </summary>
internal static class PluginSearchPath
{
    public const string EnvironmentVariable = "POCKET_TTS_PLUGINS";

    /// <summary>The per-user data folder, whose <c>plugins/</c> holds installed plugins.</summary>
    public const string HomeVariable = "POCKET_TTS_HOME";

    /// <summary>The plugins that ship with the host.</summary>
    public static string BuiltInDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>
    /// The per-user data folder: <c>POCKET_TTS_HOME</c>, else <c>pocket-tts</c> in the local application data folder
    /// (<c>$XDG_DATA_HOME</c> or <c>~/.local/share</c> on Linux and macOS, <c>%LOCALAPPDATA%</c> on Windows).
    /// </summary>
    public static string UserHome(Func<string, string?> environment) =>
        Path.GetFullPath(environment(HomeVariable) is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "pocket-tts"));

    /// <summary>The user's plugins folder, where <c>pocket-tts plugins add</c> installs.</summary>
    public static string UserDirectory(Func<string, string?> environment) => Path.Combine(UserHome(environment), "plugins");

    public static IReadOnlyList<string> Resolve(IEnumerable<string> extraDirectories, Func<string, string?> environment)
    {
        var roots = new List<string> { BuiltInDirectory, UserDirectory(environment) };
        roots.AddRange(extraDirectories);
        string? extra = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(extra))
            roots.AddRange(extra.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return [.. roots.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
    }
}
