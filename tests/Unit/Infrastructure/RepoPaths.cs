namespace PocketTts.Tests.Unit.Infrastructure;

/// <summary>Locations in the repository and in the test output folder.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding PocketTts.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A fixture copied from the Python reference (tests/Parity/Fixtures, linked into the output).</summary>
    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PocketTts.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"PocketTts.sln not found above {AppContext.BaseDirectory}.");
    }
}
