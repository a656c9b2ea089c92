using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Backends.Managed;

/// <summary>Registers the <c>managed</c> backend.</summary>
public sealed class ManagedBackendPlugin : IBackendPlugin
{
    /// <inheritdoc/>
    public int ContractVersion => BackendContract.Version;

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IBackendProvider, ManagedBackendProvider>();
}
