using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Plugins;

namespace PocketTts.Tests.Unit.Plugins;

[Collection(TestPluginGroup.Name)]
public class PluginLoaderTests(TestPluginBuilds builds)
{
    [Fact]
    public void A_third_party_plugin_built_out_of_tree_is_found_and_registered_in_DI()
    {
        string root = builds.NewPluginsRoot(builds.SampleOutput, "sample");
        using var services = new ServiceCollection().AddBackendPlugins([root]).BuildServiceProvider();

        var provider = services.GetServices<IBackendProvider>().ShouldHaveSingleItem();
        provider.Name.ShouldBe("sample");
        provider.GetType().Assembly.Location.ShouldStartWith(root);
        var entry = services.GetRequiredService<BackendCatalog>().Backends.ShouldHaveSingleItem();
        entry.Probe.IsAvailable.ShouldBeTrue();
        entry.Description.ShouldBe("sample third-party plugin: plain C# loops, slow but complete");
        entry.Plugin.Folder.ShouldBe(Path.Combine(root, "sample"));
        entry.Plugin.Version.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void The_plugin_shares_the_hosts_contract_types_and_gets_its_own_load_context()
    {
        string root = builds.NewPluginsRoot(builds.SampleOutput, "sample");
        var result = BackendPluginLoader.LoadAll([root]);
        var registration = result.Registrations.ShouldHaveSingleItem();
        Type implementation = registration.Descriptor.ImplementationType!;

        typeof(IBackendProvider).IsAssignableFrom(implementation).ShouldBeTrue("the plugin must see the host's IBackendProvider type");
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(implementation.Assembly)
            .ShouldNotBe(System.Runtime.Loader.AssemblyLoadContext.Default);
        File.Exists(Path.Combine(root, "sample", "PocketTts.Abstractions.dll")).ShouldBeFalse("the contract assembly must not be copied into the plugin");
    }

    [Fact]
    public void A_healthy_plugin_registers_its_provider_and_extra_services()
    {
        string root = builds.NewPluginsRoot(builds.FaultyOutput, "faulty");
        var result = BackendPluginLoader.LoadAll([root]);

        result.Plugins.ShouldHaveSingleItem().Error.ShouldBeNull();
        result.Registrations.ShouldHaveSingleItem();
        result.Services.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("contract", "contract version")]
    [InlineData("noprovider", "registered no IBackendProvider")]
    public void A_plugin_that_cannot_be_used_is_reported_with_the_reason(string fault, string expected)
    {
        string root = builds.NewPluginsRoot(builds.FaultyOutput, "faulty", fault);
        var result = BackendPluginLoader.LoadAll([root]);

        var plugin = result.Plugins.ShouldHaveSingleItem();
        plugin.Loaded.ShouldBeFalse();
        plugin.Error!.ShouldContain(expected);
        result.Registrations.ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_dependency_is_named()
    {
        string root = builds.NewPluginsRoot(builds.FaultyOutput, "faulty");
        File.Delete(Path.Combine(root, "faulty", "FaultyDependency.dll"));

        var plugin = BackendPluginLoader.LoadAll([root]).Plugins.ShouldHaveSingleItem();
        plugin.Error!.ShouldContain("FaultyDependency");
    }

    [Theory]
    [InlineData("constructor", "constructor failure on purpose")]
    [InlineData("probe", "probe failure on purpose")]
    public void A_provider_that_throws_is_reported_as_an_unavailable_backend(string fault, string expected)
    {
        string root = builds.NewPluginsRoot(builds.FaultyOutput, "faulty", fault);
        using var services = new ServiceCollection().AddBackendPlugins([root]).BuildServiceProvider();

        var entry = services.GetRequiredService<BackendCatalog>().Backends.ShouldHaveSingleItem();
        entry.Probe.IsAvailable.ShouldBeFalse();
        entry.Probe.Reason.ShouldContain(expected);
    }

    [Fact]
    public void A_folder_without_a_plugin_assembly_is_reported()
    {
        string root = Directory.CreateTempSubdirectory("pocket-tts-root-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "empty"));

        BackendPluginLoader.LoadAll([root]).Plugins.ShouldHaveSingleItem().Error!.ShouldContain("no plugin assembly found");
    }

    [Fact]
    public void A_corrupt_assembly_is_reported()
    {
        string root = Directory.CreateTempSubdirectory("pocket-tts-root-").FullName;
        string folder = Directory.CreateDirectory(Path.Combine(root, "corrupt")).FullName;
        File.WriteAllText(Path.Combine(folder, "Corrupt.dll"), "not an assembly");
        File.WriteAllText(Path.Combine(folder, "Corrupt.runtimeconfig.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "Corrupt.deps.json"), "{}");

        var plugin = BackendPluginLoader.LoadAll([root]).Plugins.ShouldHaveSingleItem();
        plugin.Loaded.ShouldBeFalse();
        plugin.Error!.ShouldContain("Corrupt.deps.json is malformed");
    }

    [Fact]
    public void A_corrupt_assembly_with_valid_dependencies_is_reported()
    {
        string root = builds.NewPluginsRoot(builds.SampleOutput, "sample");
        File.WriteAllText(Path.Combine(root, "sample", "SampleBackend.dll"), "not an assembly");

        var plugin = BackendPluginLoader.LoadAll([root]).Plugins.ShouldHaveSingleItem();
        plugin.Loaded.ShouldBeFalse();
        plugin.Error!.ShouldContain("not a valid .NET assembly");
    }

    [Fact]
    public void Missing_roots_are_ignored()
    {
        BackendPluginLoader.LoadAll(["/nonexistent/pocket-tts-plugins"]).Plugins.ShouldBeEmpty();
    }
}
