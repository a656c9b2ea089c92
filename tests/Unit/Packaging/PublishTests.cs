using System.Runtime.InteropServices;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Packaging;

/// <summary>
/// scripts/publish.sh for this machine's runtime: one self-contained executable with its plugins beside it, run from
/// a folder outside the repository.
/// </summary>
[Collection(PackagingGroup.Name)]
public sealed class PublishTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pocket-tts-publish-").FullName;

    [Fact]
    public async Task The_self_contained_single_file_executable_speaks_with_the_tiny_model()
    {
        string rid = RuntimeInformation.RuntimeIdentifier;
        string output = Path.Join(_folder, rid);
        int publish;
        string publishOutput;
        using (await RepoBuildLock.AcquireAsync(RepoPaths.Root, TimeSpan.FromMinutes(30)))
            (publish, publishOutput) = PackagesFixture.Run(Path.Join(RepoPaths.Root, "scripts", "publish.sh"), [rid, output], RepoPaths.Root, TimeSpan.FromMinutes(15));
        publish.ShouldBe(0, publishOutput);

        string executable = Path.Join(output, OperatingSystem.IsWindows() ? "pocket-tts.exe" : "pocket-tts");
        var environment = new Dictionary<string, string>
        {
            ["HF_HUB_OFFLINE"] = "1",
            ["HF_HOME"] = Path.Join(_folder, "hf"),
            ["POCKET_TTS_CACHE"] = Path.Join(_folder, "cache"),
            ["POCKET_TTS_HOME"] = Path.Join(_folder, "home"),
        };
        string wav = Path.Join(_folder, "published.wav");
        var (backends, backendsOutput) = PackagesFixture.Run(executable, ["backends"], _folder, TimeSpan.FromMinutes(2), environment);
        var (generate, generateOutput) = PackagesFixture.Run(executable, ["generate", "--config", RepoPaths.Fixture("tiny/config.yaml"), "--voice", RepoPaths.Fixture("voice_state.safetensors"),
            "--text", "Hello from one file.", "--output-path", wav], _folder, TimeSpan.FromMinutes(3), environment);

        // One executable: the host's managed assemblies are inside it, not beside it.
        Directory.GetFiles(output, "*.dll").ShouldBeEmpty();
        File.Exists(Path.Join(output, "plugins", "managed", "PocketTts.Backends.Managed.dll")).ShouldBeTrue();
        backends.ShouldBe(0, backendsOutput);
        backendsOutput.ShouldMatch(@"managed +available ");
        backendsOutput.ShouldMatch(@"onnx +available ");
        generate.ShouldBe(0, $"{generateOutput}\n--- backends:\n{backendsOutput}");
        PocketTts.Audio.WavReader.Read(File.ReadAllBytes(wav)).Samples.Length.ShouldBeGreaterThan(1920);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>
/// The tests that build the solution in Release (scripts/pack.sh, scripts/publish.sh) run one at a time: they write the
/// same plugin folders under artifacts/plugins.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingGroup
{
    public const string Name = "packaging builds";
}
