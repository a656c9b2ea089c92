using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;

namespace Sample.PocketTtsBackend;

/// <summary>The plugin's entry point: the host creates it and lets it register its providers.</summary>
public sealed class SamplePlugin : IBackendPlugin
{
    /// <summary>Copied from the Abstractions the plugin was compiled against, so the host can check it.</summary>
    public int ContractVersion => BackendContract.Version;

    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IBackendProvider, SampleProvider>();
}

/// <summary>
/// A provider registers one backend name. This sample shows the wiring only: it has no kernels, so its probe
/// says so and it is listed as unavailable. A real plugin returns an ITensorBackend (the engine builds the
/// model on its primitive operations) or an IStageBackend (it runs whole stages itself) from Create.
/// </summary>
public sealed class SampleProvider : IBackendProvider
{
    public string Name => "sample";

    public string Description => "sample third-party plugin (wiring only)";

    public BackendProbeResult Probe() => BackendProbeResult.Unavailable("the sample plugin has no compute kernels; it shows how a plugin is built and found");

    public IBackend Create(BackendOptions options) => throw new BackendUnavailableException(Probe().Reason);
}
