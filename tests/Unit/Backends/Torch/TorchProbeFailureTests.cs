using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Build;
using PocketTts.Host.Plugins;

namespace PocketTts.Tests.Unit.Backends.Torch;

/// <summary>
/// What torch says when its plugin folder is broken: each test loads a copy of the plugin (symbolic links to the
/// real files, so nothing large is copied) into a new load context, with one thing wrong.
/// </summary>
[Collection(TorchPlugin.Collection)]
public sealed class TorchProbeFailureTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pocket-tts-torch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_unpatched_libLibTorchSharp_is_reported_by_the_GLIBCXX_version_it_lacks()
    {
        string folder = LinkPlugin(except: "libLibTorchSharp.so");
        byte[] elf = File.ReadAllBytes(Path.Combine(TorchPlugin.Folder, "libLibTorchSharp.so"));
        ElfVersionNeed need = ElfVersionNeeds.Read(elf).Single(n => n.Version == "GLIBCXX_3.4.32");
        elf[need.FlagsOffset] &= unchecked((byte)~ElfVersionNeeds.WeakFlag);
        File.WriteAllBytes(Path.Combine(folder, "libLibTorchSharp.so"), elf);

        BackendProbeResult probe = Probe("torch");

        probe.IsAvailable.ShouldBeFalse();
        if (SystemLibstdcxxHas("GLIBCXX_3.4.32"))
            return;   // a newer libstdc++ loads the library either way
        probe.Reason.ShouldStartWith("the system's libstdc++ lacks GLIBCXX_3.4.32, which a native LibTorch library asks for (");
        probe.Reason.ShouldContain("build/LibTorchSharp.targets");
        Probe("torch-cuda").Reason.ShouldBe(probe.Reason);
    }

    [Fact]
    public void A_missing_native_library_is_named_with_the_folder()
    {
        string folder = LinkPlugin(except: "libtorch_cpu.so");

        BackendProbeResult probe = Probe("torch");

        probe.IsAvailable.ShouldBeFalse();
        probe.Reason.ShouldBe($"libtorch_cpu.so is missing from the plugin folder {folder}; reinstall the torch plugin (build src/PocketTts.Backends.Torch).");
    }

    /// <summary>A plugin folder under the test's root whose files link to the real plugin's, but for <paramref name="except"/>.</summary>
    private string LinkPlugin(string except)
    {
        string folder = Path.Combine(_root, "torch");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.EnumerateFiles(TorchPlugin.Folder))
        {
            if (Path.GetFileName(file) != except)
                File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), file);
        }
        return folder;
    }

    private BackendProbeResult Probe(string name)
    {
        using ServiceProvider services = new ServiceCollection().AddBackendPlugins([_root]).BuildServiceProvider();
        var catalog = services.GetRequiredService<BackendCatalog>();
        return catalog.Backends.Single(b => b.Name == name).Probe;
    }

    private static bool SystemLibstdcxxHas(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        string? library = candidates.FirstOrDefault(File.Exists);
        return library is null || System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(library)).Contains(version + "\0", StringComparison.Ordinal);
    }
}
