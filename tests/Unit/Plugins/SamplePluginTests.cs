using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Plugins;
using PocketTts.Tensors;
using PocketTts.Tests.Unit.Cli;

namespace PocketTts.Tests.Unit.Plugins;

/// <summary>
/// plugins/samples/SampleBackend, built out of tree as a third party builds it, is a complete tensor backend: it passes
/// the conformance kit and speaks through the CLI.
/// </summary>
[Collection(TestPluginGroup.Name)]
public sealed class SamplePluginTests(TestPluginBuilds builds)
{
    [Fact]
    public void The_sample_backend_passes_the_conformance_kit()
    {
        string root = builds.NewPluginsRoot(builds.SampleOutput, "sample");
        using ServiceProvider services = new ServiceCollection().AddBackendPlugins([root]).BuildServiceProvider();
        using var backend = (ITensorBackend)services.GetRequiredService<BackendCatalog>().Create("sample", new BackendOptions());

        ConformanceReport report = BackendConformance.Run(backend);

        report.Passed.ShouldBeTrue(report.ToString());
        report.Results.Count.ShouldBe(BackendConformance.Cases.Count);
    }

    [Fact]
    public async Task The_sample_backend_generates_what_the_managed_backend_generates()
    {
        string root = builds.NewPluginsRoot(builds.SampleOutput, "sample");
        using var host = new CliTestHost();
        string[] tiny = ["--config", CliTestHost.TinyConfig, "--voice", Path.Combine(AppContext.BaseDirectory, "Fixtures", "voice_state.safetensors"), "--seed", "7", "-q"];

        CliResult sample = await host.RunAsync(["--backend", "sample", "--plugins-dir", root, "generate", .. tiny, "--text", "Hello there.", "--output-path", host.PathOf("sample.wav")]);
        CliResult managed = await host.RunAsync(["--backend", "managed", "generate", .. tiny, "--text", "Hello there.", "--output-path", host.PathOf("managed.wav")]);

        sample.ExitCode.ShouldBe(0, sample.Error);
        managed.ExitCode.ShouldBe(0, managed.Error);
        float[] a = WavSamples(host.PathOf("sample.wav")), b = WavSamples(host.PathOf("managed.wav"));
        a.Length.ShouldBe(b.Length);
        a.Zip(b, (x, y) => Math.Abs(x - y)).Max().ShouldBeLessThan(1e-4f);
    }

    private static float[] WavSamples(string path) => PocketTts.Audio.WavReader.Read(File.ReadAllBytes(path)).Samples;
}
