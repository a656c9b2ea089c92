using PocketTts.Host.Cli;

namespace PocketTts.Tests.Unit.Plugins;

[Collection(TestPluginGroup.Name)]
public class BackendsCommandTests(TestPluginBuilds builds)
{
    [Fact]
    public async Task Backends_lists_every_backend_with_its_folder_and_availability()
    {
        string root = builds.NewPluginsRoot(builds.SampleOutput, "sample"), faulty = builds.NewPluginsRoot(builds.FaultyOutput, "faulty");
        var output = new StringWriter();

        int exit = await CliApplication.RunAsync(["backends", "--plugins-dir", root, "--plugins-dir", faulty], output, new StringWriter(), _ => null);

        exit.ShouldBe(0);
        string text = output.ToString();
        text.ShouldContain("managed      available");
        text.ShouldContain("sample       available");
        text.ShouldContain(Path.Combine(root, "sample"));
        text.ShouldContain("test-backend unavailable");
        text.ShouldContain("why: test plugin: no kernels");
    }

    [Fact]
    public async Task Plugins_named_by_the_environment_variable_are_found_and_failures_do_not_stop_the_host()
    {
        string root = builds.NewPluginsRoot(builds.FaultyOutput, "faulty", "contract");
        var output = new StringWriter();

        int exit = await CliApplication.RunAsync(["backends"], output, new StringWriter(), name => name == "POCKET_TTS_PLUGINS" ? root : null);

        exit.ShouldBe(0);
        output.ToString().ShouldContain($"plugin failed to load: {Path.Combine(root, "faulty")}: built against backend contract version");
        output.ToString().ShouldContain("managed");
    }
}
