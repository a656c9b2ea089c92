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
    public void Search_path_is_host_folder_then_options_then_environment()
    {
        var roots = PluginSearchPath.Resolve(["/opt/a"], $"/opt/b{Path.PathSeparator}/opt/c");
        roots.ShouldBe([Path.Combine(AppContext.BaseDirectory, "plugins"), "/opt/a", "/opt/b", "/opt/c"]);
    }
}
