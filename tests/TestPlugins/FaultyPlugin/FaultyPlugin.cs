using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;

namespace FaultyPlugin;

/// <summary>
/// Healthy by default; each marker file in the plugin folder turns on one fault:
/// fault.contract (wrong contract version), fault.noprovider (registers nothing), fault.constructor (the
/// provider's constructor throws), fault.probe (the probe throws). Deleting FaultyDependency.dll makes the
/// entry type unloadable.
/// </summary>
public sealed class FaultyPlugin : IBackendPlugin
{
    private readonly FaultyDependency.Marker _marker = new();

    internal static bool Fault(string name) => File.Exists(Path.Combine(Path.GetDirectoryName(typeof(FaultyPlugin).Assembly.Location)!, "fault." + name));

    public int ContractVersion => Fault("contract") ? BackendContract.Version + 1 : BackendContract.Version;

    public void ConfigureServices(IServiceCollection services)
    {
        if (!Fault("noprovider"))
            services.AddSingleton<IBackendProvider, TestProvider>();
        services.AddSingleton(_marker);
    }
}

public sealed class TestProvider : IBackendProvider
{
    public TestProvider()
    {
        if (FaultyPlugin.Fault("constructor"))
            throw new InvalidOperationException("constructor failure on purpose");
    }

    public string Name => "test-backend";

    public string Description => "test plugin";

    public BackendProbeResult Probe() => FaultyPlugin.Fault("probe")
        ? throw new InvalidOperationException("probe failure on purpose")
        : BackendProbeResult.Unavailable("test plugin: no kernels");

    public IBackend Create(BackendOptions options) => throw new BackendUnavailableException(Probe().Reason);
}
