using System.Diagnostics;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Packaging;

/// <summary>
/// The packages as scripts/pack.sh builds them, into a temporary folder once for the tests that use them, and a way
/// to run commands (dotnet, the installed tool) against them.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    public PackagesFixture()
    {
        Folder = Directory.CreateTempSubdirectory("pocket-tts-packages-").FullName;
        Packages = Path.Join(Folder, "packages");
        int exit;
        string output;
        using (RepoBuildLock.AcquireAsync(RepoPaths.Root, TimeSpan.FromMinutes(30)).GetAwaiter().GetResult())
            (exit, output) = Run(Path.Join(RepoPaths.Root, "scripts", "pack.sh"), [Packages], RepoPaths.Root, TimeSpan.FromMinutes(15));
        if (exit != 0)
            throw new InvalidOperationException("scripts/pack.sh failed:\n" + output);
    }

    /// <summary>A scratch folder outside the repository.</summary>
    public string Folder { get; }

    /// <summary>The folder holding the .nupkg files.</summary>
    public string Packages { get; }

    /// <summary>The path of a package by id.</summary>
    public string Package(string id) => Path.Join(Packages, $"{id}.0.1.0.nupkg");

    /// <summary>Runs a command; returns its exit code and its stdout and stderr together.</summary>
    public static (int Exit, string Output) Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}\n{stdout.Result}{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
