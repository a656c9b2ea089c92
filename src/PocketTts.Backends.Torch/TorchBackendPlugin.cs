using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Backends.Torch;

/// <summary>Registers the <c>torch</c> and <c>torch-cuda</c> backends.</summary>
public sealed class TorchBackendPlugin : IBackendPlugin
{
    /// <inheritdoc/>
    public int ContractVersion => BackendContract.Version;

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IBackendProvider, TorchBackendProvider>();
        services.AddSingleton<IBackendProvider, TorchCudaBackendProvider>();
    }
}
