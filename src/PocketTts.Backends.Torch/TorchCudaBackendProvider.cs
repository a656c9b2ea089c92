using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>The <c>torch-cuda</c> backend: LibTorch on an NVIDIA GPU, when the plugin folder holds LibTorch with CUDA.</summary>
public sealed class TorchCudaBackendProvider : IBackendProvider
{
    /// <inheritdoc/>
    public string Name => "torch-cuda";

    /// <inheritdoc/>
    public string Description => "LibTorch (TorchSharp) on an NVIDIA GPU (CUDA)";

    /// <inheritdoc/>
    public BackendProbeResult Probe() =>
        LibTorchRuntime.CudaUnavailableReason is { } reason
            ? BackendProbeResult.Unavailable(reason)
            : BackendProbeResult.Available($"{torch.cuda.device_count()} CUDA device(s), {LibTorchRuntime.Describe()}");

    /// <inheritdoc/>
    public IBackend Create(BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (LibTorchRuntime.CudaUnavailableReason is { } reason)
            throw new BackendUnavailableException($"Backend 'torch-cuda' is not available here: {reason}");
        int devices = torch.cuda.device_count();
        if (options.DeviceIndex < 0 || options.DeviceIndex >= devices)
            throw new BackendUnavailableException($"Backend 'torch-cuda': CUDA device {options.DeviceIndex} does not exist; this machine has {devices} (0 … {devices - 1}).");
        return new TorchTensorBackend(Name, options, torch.device(DeviceType.CUDA, options.DeviceIndex));
    }
}
