using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Plugins;

namespace PocketTts.Tests.Unit.Plugins;

public class BackendCatalogTests
{
    private static BackendCatalog DefaultCatalog() =>
        new ServiceCollection().AddBackendPlugins([Path.Combine(AppContext.BaseDirectory, "plugins")])
            .BuildServiceProvider().GetRequiredService<BackendCatalog>();

    [Fact]
    public void The_managed_plugin_built_with_the_solution_is_found_and_available()
    {
        var managed = DefaultCatalog().Backends.Single(b => b.Name == "managed");
        managed.Probe.IsAvailable.ShouldBeTrue();
        managed.Plugin.Folder.ShouldEndWith(Path.Combine("plugins", "managed"));
        using var backend = DefaultCatalog().Create("managed", new BackendOptions());
        backend.Name.ShouldBe("managed");
    }

    [Fact]
    public void Asking_for_an_unknown_backend_names_the_installed_ones()
    {
        var ex = Should.Throw<BackendUnavailableException>(() => DefaultCatalog().Create("quantum", new BackendOptions()));
        ex.Message.ShouldContain("'quantum' is not installed");
        ex.Message.ShouldContain("managed");
    }

    [Fact]
    public void Search_path_is_host_folder_then_user_folder_then_options_then_environment()
    {
        var environment = new Dictionary<string, string> { [PluginSearchPath.EnvironmentVariable] = $"/opt/b{Path.PathSeparator}/opt/c", [PluginSearchPath.HomeVariable] = "/home/u/pt" };
        var roots = PluginSearchPath.Resolve(["/opt/a"], environment.GetValueOrDefault);
        roots.ShouldBe([Path.Combine(AppContext.BaseDirectory, "plugins"), "/home/u/pt/plugins", "/opt/a", "/opt/b", "/opt/c"]);
    }

    [Fact]
    public void A_backend_is_probed_only_when_its_availability_is_asked_and_only_once()
    {
        var plugin = new PluginInfo("/plugins/counting", "/plugins/counting/Counting.dll", "1.0.0", null);
        var first = new CountingProvider("first");
        var second = new CountingProvider("second");
        var catalog = new BackendCatalog(
            new PluginLoadResult([plugin], [], [new BackendRegistration(plugin, ServiceDescriptor.Singleton<IBackendProvider>(first)), new BackendRegistration(plugin, ServiceDescriptor.Singleton<IBackendProvider>(second))]),
            new ServiceCollection().BuildServiceProvider());

        catalog.Require("second");
        catalog.Require("second");

        first.Probes.ShouldBe(0, "another backend's probe (which may load a native library) is not paid for");
        second.Probes.ShouldBe(1);
        catalog.Backends.Select(b => b.Probe.IsAvailable).ShouldBe([true, true]);
        first.Probes.ShouldBe(1);
    }

    [Fact]
    public void When_two_plugins_provide_a_backend_the_one_found_last_is_used()
    {
        var builtIn = new PluginInfo("/app/plugins/onnx", "/app/plugins/onnx/Onnx.dll", "0.1.0", null);
        var installed = new PluginInfo("/home/u/.local/share/pocket-tts/plugins/PocketTts.Backends.Onnx", "/home/u/x/Onnx.dll", "0.2.0", null);
        var catalog = new BackendCatalog(
            new PluginLoadResult([builtIn, installed], [], [new BackendRegistration(builtIn, ServiceDescriptor.Singleton<IBackendProvider>(new CountingProvider("onnx"))),
                new BackendRegistration(installed, ServiceDescriptor.Singleton<IBackendProvider>(new CountingProvider("onnx")))]),
            new ServiceCollection().BuildServiceProvider());

        catalog.Require("onnx").Plugin.ShouldBe(installed);
    }

    private sealed class CountingProvider(string name) : IBackendProvider
    {
        public int Probes { get; private set; }

        public string Name => name;

        public string Description => "counts its probes";

        public BackendProbeResult Probe()
        {
            Probes++;
            return BackendProbeResult.Available("ready");
        }

        public IBackend Create(BackendOptions options) => throw new NotSupportedException();
    }
}
