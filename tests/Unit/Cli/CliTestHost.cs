using PocketTts.Host.Cli;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>Runs the real <c>pocket-tts</c> command tree in process, with captured streams and a private cache.</summary>
public sealed class CliTestHost : IDisposable
{
    public CliTestHost() => Directory = System.IO.Directory.CreateTempSubdirectory("pocket-tts-cli-").FullName;

    /// <summary>A scratch folder (also the HF_HOME and POCKET_TTS_CACHE of the runs).</summary>
    public string Directory { get; }

    public static string TinyConfig => RepoPaths.Fixture("tiny/config.yaml");

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task<CliResult> RunAsync(string[] args, string? standardInput = null, IReadOnlyDictionary<string, string>? environmentOverrides = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var stdout = new MemoryStream();
        var environment = new Dictionary<string, string>
        {
            ["HF_HOME"] = PathOf("hf"),
            ["POCKET_TTS_CACHE"] = PathOf("cache"),
            ["HF_HUB_OFFLINE"] = "1",
        };
        foreach (var (name, value) in environmentOverrides ?? new Dictionary<string, string>())
            environment[name] = value;
        int exit = await CliApplication.RunAsync(args, output, error, name => environment.GetValueOrDefault(name),
            standardOutput: stdout, standardInput: new StringReader(standardInput ?? ""));
        return new CliResult(exit, output.ToString(), error.ToString(), stdout.ToArray());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed record CliResult(int ExitCode, string Output, string Error, byte[] StandardOutputBytes)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}\nbinary stdout: {StandardOutputBytes.Length} bytes";
}
