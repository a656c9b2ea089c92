namespace PocketTts.Host.Plugins;

/// <summary>A plugin folder that was found, and what became of it.</summary>
/// <param name="Folder">The plugin's folder.</param>
/// <param name="AssemblyPath">The plugin's main assembly, when one was identified.</param>
/// <param name="Version">The assembly's informational version, when it loaded.</param>
/// <param name="Error">Why the plugin could not be used, or null when it loaded.</param>
internal sealed record PluginInfo(string Folder, string? AssemblyPath, string? Version, string? Error)
{
    public bool Loaded => Error is null;
}
