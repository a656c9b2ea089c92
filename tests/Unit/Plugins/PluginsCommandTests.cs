using System.IO.Compression;
using System.Runtime.InteropServices;
using PocketTts.Backends;
using PocketTts.Host.Plugins;
using PocketTts.Tests.Unit.Cli;

namespace PocketTts.Tests.Unit.Plugins;

/// <summary>
/// <c>pocket-tts plugins add|list|remove</c> against a local-folder feed holding packages written here: the out-of-tree
/// test plugin, healthy or built against another contract version, and hostile archives.
/// </summary>
[Collection(TestPluginGroup.Name)]
public sealed class PluginsCommandTests(TestPluginBuilds builds) : IDisposable
{
    private static readonly string Runtime = RuntimeInformation.RuntimeIdentifier;
    private readonly CliTestHost _host = new();

    private string Feed => Directory.CreateDirectory(_host.PathOf("feed")).FullName;

    private string UserPlugins => Path.Combine(_host.PathOf("home"), "plugins");

    [Fact]
    public async Task A_plugin_package_is_installed_listed_used_and_removed()
    {
        WritePackage("Faulty.Plugin", PluginFiles(builds.FaultyOutput, "faulty"));

        CliResult add = await RunAsync("plugins", "add", "faulty.plugin", "--source", Feed);
        CliResult list = await RunAsync("plugins", "list");
        CliResult backends = await RunAsync("backends");
        CliResult remove = await RunAsync("plugins", "remove", "FAULTY.PLUGIN");
        CliResult listAfter = await RunAsync("plugins", "list");
        CliResult removeAgain = await RunAsync("plugins", "remove", "Faulty.Plugin");

        add.ExitCode.ShouldBe(0, add.ToString());
        add.Output.ShouldContain($"installed Faulty.Plugin 1.2.3 into {Path.Combine(UserPlugins, "Faulty.Plugin")}");
        list.Output.ShouldContain("built-in   managed ");
        list.Output.ShouldMatch(@"installed +Faulty\.Plugin +1\.0\.0 ");
        backends.Output.ShouldMatch($@"test-backend +unavailable +\S+ +{System.Text.RegularExpressions.Regex.Escape(Path.Combine(UserPlugins, "Faulty.Plugin"))}");
        remove.ExitCode.ShouldBe(0, remove.ToString());
        Directory.EnumerateFileSystemEntries(UserPlugins).ShouldBeEmpty();
        listAfter.Output.ShouldNotContain("Faulty.Plugin");
        removeAgain.ExitCode.ShouldBe(1);
        removeAgain.Error.ShouldBe($"error: Plugin Faulty.Plugin is not installed in {UserPlugins} (installed: none).\n");
    }

    [Fact]
    public async Task A_plugin_built_against_another_contract_version_is_refused_in_one_line_and_nothing_is_installed()
    {
        WritePackage("Faulty.Plugin", [.. PluginFiles(builds.FaultyOutput, "faulty"), ($"plugins/{Runtime}/faulty/fault.contract", [])]);

        CliResult add = await RunAsync("plugins", "add", "Faulty.Plugin", "--source", Feed);

        add.ExitCode.ShouldBe(1);
        add.Error.ShouldStartWith($"error: Faulty.Plugin 1.2.3 cannot be enabled: built against backend contract version {BackendContract.Version + 1}, but this host implements version {BackendContract.Version}");
        add.Error.ShouldEndWith("; nothing was installed.\n");
        add.Error.TrimEnd().ShouldNotContain('\n');
        NothingInstalled();
    }

    [Theory]
    [InlineData("plugins/{rid}/faulty/../../../../escaped.txt")]
    [InlineData("/tmp/pocket-tts-absolute.txt")]
    [InlineData("plugins/{rid}/faulty/..\\..\\escaped.txt")]
    public async Task A_package_with_an_escaping_entry_is_refused_and_nothing_is_written(string entry)
    {
        WritePackage("Faulty.Plugin", [.. PluginFiles(builds.FaultyOutput, "faulty"), (entry.Replace("{rid}", Runtime, StringComparison.Ordinal), "pwned"u8.ToArray())]);

        CliResult add = await RunAsync("plugins", "add", "Faulty.Plugin", "--source", Feed);

        add.ExitCode.ShouldBe(1);
        add.Error.ShouldBe($"error: Faulty.Plugin 1.2.3 cannot be installed: package entry '{entry.Replace("{rid}", Runtime, StringComparison.Ordinal)}' has an absolute or escaping path; the package is refused; nothing was installed.\n");
        NothingInstalled();
        Directory.EnumerateFiles(_host.Directory, "escaped.txt", SearchOption.AllDirectories).ShouldBeEmpty();
        File.Exists("/tmp/pocket-tts-absolute.txt").ShouldBeFalse();
    }

    [Fact]
    public async Task A_package_without_a_plugin_for_this_runtime_names_the_runtimes_it_has()
    {
        WritePackage("Faulty.Plugin", [("plugins/plan9-mips/faulty/Faulty.dll", [1, 2, 3])]);

        CliResult add = await RunAsync("plugins", "add", "Faulty.Plugin", "--source", Feed);

        add.Error.ShouldBe($"error: Faulty.Plugin 1.2.3 cannot be installed: it has no plugin for this runtime, {Runtime} (it has: plan9-mips); nothing was installed.\n");
        NothingInstalled();
    }

    [Fact]
    public async Task A_package_missing_from_the_feed_or_a_bad_id_is_a_one_line_error()
    {
        CliResult missing = await RunAsync("plugins", "add", "No.Such.Plugin", "--version", "2.0.0", "--source", Feed);
        CliResult path = await RunAsync("plugins", "add", "../escape", "--source", Feed);

        missing.Error.ShouldBe($"error: Package No.Such.Plugin 2.0.0 was not found on {Feed}.\n");
        path.Error.ShouldBe("error: '../escape' is not a NuGet package id (letters, digits, '.', '_' and '-', starting with a letter or digit).\n");
        NothingInstalled();
    }

    [Fact]
    public void The_capped_stream_refuses_the_byte_past_its_limit()
    {
        using var inner = new MemoryStream();
        using var capped = new CappedWriteStream(inner, 4 << 20, "the plugin folder");

        capped.Write(new byte[4 << 20]);
        var ex = Should.Throw<InvalidDataException>(() => capped.Write(new byte[1]));

        ex.Message.ShouldBe("the plugin folder is larger than the 4 MiB allowed");
        inner.Length.ShouldBe(4 << 20);
    }

    public void Dispose() => _host.Dispose();

    private Task<CliResult> RunAsync(params string[] args) =>
        _host.RunAsync(args, environmentOverrides: new Dictionary<string, string> { [PluginSearchPath.HomeVariable] = _host.PathOf("home") });

    private void NothingInstalled()
    {
        (Directory.Exists(UserPlugins) ? Directory.EnumerateFileSystemEntries(UserPlugins) : []).ShouldBeEmpty();
        Directory.Exists(UserPlugins + ".staging").ShouldBeFalse();
    }

    private static IEnumerable<(string Name, byte[] Content)> PluginFiles(string folder, string name) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => ($"plugins/{Runtime}/{name}/{Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/')}", File.ReadAllBytes(f)));

    /// <summary>A minimal .nupkg (a zip with a nuspec) in the feed folder, as NuGet's local folder feed reads it.</summary>
    private void WritePackage(string id, IEnumerable<(string Name, byte[] Content)> files)
    {
        using ZipArchive zip = ZipFile.Open(Path.Combine(Feed, $"{id}.1.2.3.nupkg"), ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
        {
            nuspec.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{id}</id><version>1.2.3</version><authors>tests</authors><description>a test plugin</description></metadata>
                </package>
                """);
        }
        foreach (var (name, content) in files)
        {
            using Stream entry = zip.CreateEntry(name).Open();
            entry.Write(content);
        }
    }
}
