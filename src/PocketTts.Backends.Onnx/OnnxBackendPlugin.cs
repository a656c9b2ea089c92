using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Backends.Onnx;

/// <summary>Registers the ONNX Runtime backend this build of the plugin serves (<c>onnx</c> or <c>onnx-cuda</c>).</summary>
public sealed class OnnxBackendPlugin : IBackendPlugin
{
    /// <inheritdoc/>
    public int ContractVersion => BackendContract.Version;

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IBackendProvider, OnnxBackendProvider>();
}
