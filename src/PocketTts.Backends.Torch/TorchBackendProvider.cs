namespace PocketTts.Backends.Torch;

/// <summary>The <c>torch</c> backend: LibTorch on the CPU.</summary>
public sealed class TorchBackendProvider : IBackendProvider
{
    /// <inheritdoc/>
    public string Name => "torch";

    /// <inheritdoc/>
    public string Description => "LibTorch (TorchSharp) on the CPU";

    /// <inheritdoc/>
    public BackendProbeResult Probe() =>
        LibTorchRuntime.CpuUnavailableReason is { } reason
            ? BackendProbeResult.Unavailable(reason)
            : BackendProbeResult.Available(LibTorchRuntime.Describe());

    /// <inheritdoc/>
    public IBackend Create(BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (LibTorchRuntime.CpuUnavailableReason is { } reason)
            throw new BackendUnavailableException($"Backend 'torch' is not available here: {reason}");
        return new TorchTensorBackend(Name, options, TorchSharp.torch.CPU);
    }
}
