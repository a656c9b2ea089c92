using System.CommandLine;

namespace PocketTts.Host.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Backend = new("--backend")
    {
        Description = "Compute backend: managed (default), torch, torch-cuda, onnx, onnx-cuda, or a plugin's name.",
        DefaultValueFactory = _ => "managed",
        Recursive = true,
    };

    public static readonly Option<string[]> PluginsDir = new("--plugins-dir")
    {
        Description = $"Extra folder of backend plugins (repeatable; also {Plugins.PluginSearchPath.EnvironmentVariable}).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };
}
