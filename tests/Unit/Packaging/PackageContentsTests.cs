using System.IO.Compression;
using System.Xml.Linq;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Packaging;

/// <summary>What each package holds: the assembly with its XML docs, README, licence and notices, metadata, symbols;
/// no test assets; the tool with the managed and onnx plugins but not LibTorch or the CUDA runtime; the plugin packages
/// with their plugin folders.</summary>
[Collection(PackagingGroup.Name)]
public sealed class PackageContentsTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    public static TheoryData<string> Libraries => ["PocketTts", "PocketTts.Core", "PocketTts.Abstractions", "PocketTts.Backends.Managed", "PocketTts.Backends.Conformance", "PocketTts.Graphs.Onnx"];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_package_carries_its_assembly_docs_readme_licence_and_symbols(string id)
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.Package(id));
        string[] names = [.. zip.Entries.Select(e => e.FullName)];

        names.ShouldContain($"lib/net10.0/{id}.dll");
        names.ShouldContain($"lib/net10.0/{id}.xml");
        names.ShouldContain("README.md");
        names.ShouldContain("LICENSE");
        names.ShouldContain("THIRD-PARTY-NOTICES.md");
        File.Exists(Path.ChangeExtension(packages.Package(id), ".snupkg")).ShouldBeTrue();
        XElement metadata = Nuspec(zip);
        Value(metadata, "license").ShouldBe("MIT");
        Value(metadata, "readme").ShouldBe("README.md");
        Value(metadata, "description").ShouldNotBeNullOrWhiteSpace();
        metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value.Length.ShouldBe(40);
    }

    [Theory]
    [InlineData("PocketTts.Backends.Onnx", "onnx", "linux-x64/onnx/PocketTts.Graphs.Onnx.dll linux-x64/onnx/libonnxruntime.so linux-arm64/onnx/libonnxruntime.so win-x64/onnx/onnxruntime.dll osx-arm64/onnx/libonnxruntime.dylib")]
    [InlineData("PocketTts.Backends.OnnxCuda", "onnx-cuda", "linux-x64/onnx-cuda/PocketTts.Graphs.Onnx.dll linux-x64/onnx-cuda/libonnxruntime.so linux-x64/onnx-cuda/libonnxruntime_providers_cuda.so")]
    [InlineData("PocketTts.Backends.Torch", "torch", "linux-x64/torch/TorchSharp.dll linux-x64/torch/libtorch_cpu.so linux-x64/torch/libLibTorchSharp.so")]
    public void A_plugin_package_holds_the_plugin_folder_of_each_runtime_with_readme_and_licence(string id, string plugin, string dependencies)
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.Package(id));
        string[] names = [.. zip.Entries.Select(e => e.FullName)];

        names.ShouldContain($"plugins/linux-x64/{plugin}/{id}.dll");
        names.ShouldContain($"plugins/linux-x64/{plugin}/{id}.deps.json");
        names.ShouldContain($"plugins/linux-x64/{plugin}/{id}.runtimeconfig.json");
        foreach (string dependency in dependencies.Split(' '))
            names.ShouldContain($"plugins/{dependency}");
        names.ShouldNotContain(n => n.StartsWith("lib/", StringComparison.Ordinal), "a plugin package is not a library to reference");
        names.ShouldNotContain(n => n.EndsWith("/PocketTts.Abstractions.dll", StringComparison.Ordinal), "the host shares its contract assembly");
        names.ShouldNotContain(n => n.EndsWith("/PocketTts.Core.dll", StringComparison.Ordinal), "a plugin depends on the contracts, not on the engine");
        names.ShouldContain("README.md");
        names.ShouldContain("LICENSE");
        names.ShouldContain("THIRD-PARTY-NOTICES.md");
        XElement metadata = Nuspec(zip);
        Value(metadata, "license").ShouldBe("MIT");
        Value(metadata, "tags").Split(' ').ShouldContain("pocket-tts-plugin");
        metadata.Descendants().ShouldNotContain(e => e.Name.LocalName == "dependency");
        metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value.Length.ShouldBe(40);
    }

    [Fact]
    public void PocketTts_depends_on_the_engine_and_the_managed_backend_at_the_same_version()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.Package("PocketTts"));

        string[] dependencies = [.. Nuspec(zip).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => $"{e.Attribute("id")!.Value} {e.Attribute("version")!.Value}")];

        dependencies.ShouldContain("PocketTts.Core 0.1.0");
        dependencies.ShouldContain("PocketTts.Backends.Managed 0.1.0");
        dependencies.ShouldContain(d => d.StartsWith("Microsoft.Extensions.AI.Abstractions ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tool_carries_pocket_tts_with_the_managed_and_onnx_plugins_and_nothing_heavy()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.Package("PocketTts.Cli"));
        string[] names = [.. zip.Entries.Select(e => e.FullName)];

        names.ShouldContain("tools/net10.0/any/pocket-tts.dll");
        names.ShouldContain("tools/net10.0/any/DotnetToolSettings.xml");
        names.ShouldContain("tools/net10.0/any/plugins/managed/PocketTts.Backends.Managed.dll");
        names.ShouldContain("tools/net10.0/any/plugins/onnx/PocketTts.Backends.Onnx.dll");
        names.ShouldNotContain(n => n.Contains("/plugins/torch/", StringComparison.Ordinal) || n.Contains("/plugins/onnx-cuda/", StringComparison.Ordinal));
        names.ShouldNotContain(n => n.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || n.Contains("cuda", StringComparison.OrdinalIgnoreCase));
        new FileInfo(packages.Package("PocketTts.Cli")).Length.ShouldBeLessThan(60L << 20);
    }

    [Fact]
    public void No_package_carries_test_assets()
    {
        foreach (string package in Directory.GetFiles(packages.Packages, "*.nupkg"))
        {
            using ZipArchive zip = ZipFile.OpenRead(package);
            zip.Entries.ShouldNotContain(e => e.FullName.Contains("Fixtures", StringComparison.OrdinalIgnoreCase)
                || e.FullName.Contains("TestData", StringComparison.OrdinalIgnoreCase) || e.FullName.EndsWith(".safetensors", StringComparison.Ordinal)
                || e.FullName.EndsWith(".wav", StringComparison.Ordinal) || e.FullName.Contains("Tests", StringComparison.Ordinal), Path.GetFileName(package));
        }
    }

    [Fact]
    public void The_installed_tool_lists_voices_speaks_with_the_tiny_model_and_installs_a_plugin_package()
    {
        string tools = Path.Join(packages.Folder, "tools");
        var (install, installOutput) = PackagesFixture.Run("dotnet", ["tool", "install", "PocketTts.Cli", "--version", "0.1.0", "--tool-path", tools, "--add-source", packages.Packages],
            packages.Folder, TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Join(packages.Folder, "nuget-tool") });
        install.ShouldBe(0, installOutput);
        string tool = Path.Join(tools, "pocket-tts");
        var environment = new Dictionary<string, string>
        {
            ["HF_HUB_OFFLINE"] = "1",
            ["HF_HOME"] = Path.Join(packages.Folder, "hf"),
            ["POCKET_TTS_CACHE"] = Path.Join(packages.Folder, "cache"),
            ["POCKET_TTS_HOME"] = Path.Join(packages.Folder, "home"),
        };

        var (voices, voicesOutput) = PackagesFixture.Run(tool, ["voices"], packages.Folder, TimeSpan.FromMinutes(2), environment);
        var (backends, backendsOutput) = PackagesFixture.Run(tool, ["backends"], packages.Folder, TimeSpan.FromMinutes(2), environment);
        string wav = Path.Join(packages.Folder, "tool.wav");
        var (generate, generateOutput) = PackagesFixture.Run(tool, ["generate", "--config", RepoPaths.Fixture("tiny/config.yaml"), "--voice", RepoPaths.Fixture("voice_state.safetensors"),
            "--text", "Hello from the tool.", "--output-path", wav], packages.Folder, TimeSpan.FromMinutes(3), environment);

        voices.ShouldBe(0, voicesOutput);
        voicesOutput.ShouldContain("alba");
        backends.ShouldBe(0, backendsOutput);
        backendsOutput.ShouldContain("managed");
        backendsOutput.ShouldContain("onnx");
        backendsOutput.ShouldNotContain("torch-cuda  available");
        generate.ShouldBe(0, $"{generateOutput}\n--- pocket-tts backends:\n{backendsOutput}");
        PocketTts.Audio.WavReader.Read(File.ReadAllBytes(wav)).Samples.Length.ShouldBeGreaterThan(1920);

        // A plugin package from the packages folder as a local feed: installed into the user's plugins folder, it
        // replaces the tool's own onnx plugin and speaks; removed, nothing of it is left.
        string installed = Path.Join(packages.Folder, "home", "plugins", "PocketTts.Backends.Onnx");
        var (list, listOutput) = PackagesFixture.Run(tool, ["plugins", "list"], packages.Folder, TimeSpan.FromMinutes(2), environment);
        var (add, addOutput) = PackagesFixture.Run(tool, ["plugins", "add", "PocketTts.Backends.Onnx", "--source", packages.Packages], packages.Folder, TimeSpan.FromMinutes(2), environment);
        var (_, backendsAfterAdd) = PackagesFixture.Run(tool, ["backends"], packages.Folder, TimeSpan.FromMinutes(2), environment);
        string onnxWav = Path.Join(packages.Folder, "tool-onnx.wav");
        var (onnx, onnxOutput) = PackagesFixture.Run(tool, ["generate", "--backend", "onnx", "--config", RepoPaths.Fixture("tiny/config.yaml"), "--voice", RepoPaths.Fixture("voice_state.safetensors"),
            "--text", "Hello from the installed plugin.", "--output-path", onnxWav], packages.Folder, TimeSpan.FromMinutes(3), environment);
        var (remove, removeOutput) = PackagesFixture.Run(tool, ["plugins", "remove", "PocketTts.Backends.Onnx"], packages.Folder, TimeSpan.FromMinutes(2), environment);

        list.ShouldBe(0, listOutput);
        listOutput.ShouldMatch(@"built-in +managed +0\.1\.0 ");
        listOutput.ShouldMatch(@"built-in +onnx +0\.1\.0 ");
        add.ShouldBe(0, addOutput);
        addOutput.ShouldBe($"installed PocketTts.Backends.Onnx 0.1.0 into {installed}\n");
        backendsAfterAdd.ShouldMatch($@"onnx +available +\S+ +{System.Text.RegularExpressions.Regex.Escape(installed)}\n");
        onnx.ShouldBe(0, onnxOutput);
        PocketTts.Audio.WavReader.Read(File.ReadAllBytes(onnxWav)).Samples.Length.ShouldBeGreaterThan(1920);
        remove.ShouldBe(0, removeOutput);
        Directory.Exists(installed).ShouldBeFalse();
    }

    [Fact]
    public void The_quick_start_sample_builds_against_the_package_and_speaks()
    {
        // Outside the repository (no Directory.Build.props), with a nuget.config that adds the packages folder to the
        // machine's feeds.
        string sample = Path.Join(packages.Folder, "QuickStart");
        Directory.CreateDirectory(sample);
        foreach (string file in new[] { "QuickStart.csproj", "Program.cs" })
            File.Copy(Path.Join(RepoPaths.Root, "samples", "QuickStart", file), Path.Join(sample, file));
        File.WriteAllText(Path.Join(sample, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{packages.Packages}" />
              </packageSources>
            </configuration>
            """);
        var environment = new Dictionary<string, string>
        {
            ["HF_HUB_OFFLINE"] = "1",
            ["HF_HOME"] = Path.Join(packages.Folder, "hf"),
            ["POCKET_TTS_CACHE"] = Path.Join(packages.Folder, "cache"),
            ["NUGET_PACKAGES"] = Path.Join(packages.Folder, "nuget"),
        };
        string wav = Path.Join(packages.Folder, "quickstart.wav");

        var (exit, output) = PackagesFixture.Run("dotnet", ["run", "--", RepoPaths.Fixture("tiny/config.yaml"), RepoPaths.Fixture("voice_state.safetensors"), wav],
            sample, TimeSpan.FromMinutes(8), environment);

        exit.ShouldBe(0, output);
        output.ShouldContain("bytes of audio/wav");
        PocketTts.Audio.WavReader.Read(File.ReadAllBytes(wav)).Samples.Length.ShouldBeGreaterThan(1920);
    }

    private static XElement Nuspec(ZipArchive zip)
    {
        using Stream stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
}
