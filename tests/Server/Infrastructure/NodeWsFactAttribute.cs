using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>
/// A fact that runs a WebSocket client from npm (<c>ws</c>, tests/Server/Node) under node: skipped, with the reason,
/// where node or the package is not installed (.ci/run installs both).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeWsFactAttribute : FactAttribute
{
    /// <summary>The folder of the node scripts and their package.json.</summary>
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "Server", "Node");

    public NodeWsFactAttribute()
    {
        if (NodePath is null)
            Skip = "node is not installed (apt-get install nodejs npm).";
        else if (!Directory.Exists(Path.Combine(Folder, "node_modules", "ws")))
            Skip = $"the ws package is not installed: run 'npm ci' in {Folder}.";
    }

    /// <summary>The node executable on the PATH, or null.</summary>
    public static string? NodePath =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "node")).FirstOrDefault(File.Exists);
}
