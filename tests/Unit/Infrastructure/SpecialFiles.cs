using System.Diagnostics;

namespace PocketTts.Tests.Unit.Infrastructure;

/// <summary>Special files for tests of readers that must refuse them.</summary>
public static class SpecialFiles
{
    /// <summary>Creates a FIFO at <paramref name="path"/>: opening it for reading blocks until a writer comes.</summary>
    public static void Mkfifo(string path)
    {
        using var process = Process.Start("mkfifo", path);
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
