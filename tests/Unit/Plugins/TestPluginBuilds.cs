using PocketTts.Backends;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Plugins;

/// <summary>
/// Builds the out-of-tree plugins once per test run, as a third party would: the sources are copied outside
/// the repository (so its Directory.Build.props does not apply) and compiled against the built
/// PocketTts.Abstractions.dll.
/// </summary>
public sealed class TestPluginBuilds : IDisposable
{
    public TestPluginBuilds()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("pocket-tts-plugins-").FullName;
        string abstractions = typeof(IBackendPlugin).Assembly.Location;
        SampleOutput = Build(Path.Combine(RepoPaths.Root, "plugins", "samples", "SampleBackend"), "SampleBackend.csproj", abstractions);
        string testPlugins = Path.Combine(WorkDirectory, "src", "TestPlugins");
        CopyDirectory(Path.Combine(RepoPaths.Root, "tests", "TestPlugins"), testPlugins);
        FaultyOutput = BuildIn(Path.Combine(testPlugins, "FaultyPlugin"), "FaultyPlugin.csproj", abstractions, "faulty");
    }

    public string WorkDirectory { get; }

    /// <summary>Build output of plugins/samples/SampleBackend.</summary>
    public string SampleOutput { get; }

    /// <summary>Build output of tests/TestPlugins/FaultyPlugin (healthy unless marker files are added).</summary>
    public string FaultyOutput { get; }

    /// <summary>A fresh plugins root holding a copy of <paramref name="buildOutput"/> as plugin folder <paramref name="name"/>.</summary>
    public string NewPluginsRoot(string buildOutput, string name, params string[] faultMarkers)
    {
        string root = Directory.CreateDirectory(Path.Combine(WorkDirectory, "roots", Guid.NewGuid().ToString("N"))).FullName;
        string folder = Path.Combine(root, name);
        CopyDirectory(buildOutput, folder);
        foreach (string marker in faultMarkers)
            File.WriteAllText(Path.Combine(folder, "fault." + marker), "");
        return root;
    }

    public void Dispose() => Directory.Delete(WorkDirectory, recursive: true);

    private string Build(string sourceDirectory, string project, string abstractions)
    {
        string copy = Path.Combine(WorkDirectory, "src", Path.GetFileName(sourceDirectory));
        CopyDirectory(sourceDirectory, copy);
        return BuildIn(copy, project, abstractions, Path.GetFileName(sourceDirectory));
    }

    private string BuildIn(string projectDirectory, string project, string abstractions, string outputName)
    {
        string output = Path.Combine(WorkDirectory, "out", outputName);
        var (exit, log) = ProcessRunner.Run("dotnet", $"build {project} -nologo -v q -p:PocketTtsAbstractions=\"{abstractions}\" -o \"{output}\"", projectDirectory, TimeSpan.FromMinutes(5));
        if (exit != 0)
            throw new InvalidOperationException($"Building {project} failed:\n{log}");
        return output;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                continue;
            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TestPluginGroup : ICollectionFixture<TestPluginBuilds>
{
    public const string Name = "test plugin builds";
}
