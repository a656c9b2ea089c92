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
/// A provider registers one backend name. The probe says whether the backend can run here (this one always can: it
/// needs nothing but .NET); Create returns an ITensorBackend (the engine builds the model on its primitive
/// operations) or an IStageBackend (it runs whole stages itself).
/// </summary>
public sealed class SampleProvider : IBackendProvider
{
    public string Name => "sample";

    public string Description => "sample third-party plugin: plain C# loops, slow but complete";

    public BackendProbeResult Probe() => BackendProbeResult.Available();

    public IBackend Create(BackendOptions options) => new SampleTensorBackend();
}
