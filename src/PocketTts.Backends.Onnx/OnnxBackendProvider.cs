using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx;

/// <summary>
/// The <c>onnx</c> backend (ONNX Runtime on the CPU), or, in the build against ONNX Runtime's GPU package (the
/// <c>onnx-cuda</c> plugin, compiled with <c>ONNX_CUDA</c>), the <c>onnx-cuda</c> backend. Both run the graphs this
/// project exports.
/// </summary>
public sealed class OnnxBackendProvider : IBackendProvider
{
#if ONNX_CUDA
    private const string BackendName = "onnx-cuda";
    private static readonly Lazy<string?> Failure = new(() => OnnxRuntimeLibrary.LoadFailure() ?? CudaLibraries.Missing());
#else
    private const string BackendName = "onnx";
    private static readonly Lazy<string?> Failure = new(OnnxRuntimeLibrary.LoadFailure);
#endif

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    public string Description =>
#if ONNX_CUDA
        "ONNX Runtime on an NVIDIA GPU (CUDA 13, cuDNN 9), graphs exported from the model definition";
#else
        "ONNX Runtime on the CPU, graphs exported from the model definition";
#endif

    /// <inheritdoc/>
    public BackendProbeResult Probe() =>
        Failure.Value is { } reason ? BackendProbeResult.Unavailable(reason) : BackendProbeResult.Available($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}");

    /// <inheritdoc/>
    public IBackend Create(BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Failure.Value is { } reason)
            throw new BackendUnavailableException($"Backend '{BackendName}' is not available here: {reason}");
#if ONNX_CUDA
        return new OnnxBackend(BackendName, options, () => OnnxRuntimeLibrary.CudaSession(options.DeviceIndex));
#else
        return new OnnxBackend(BackendName, options, () => OnnxRuntimeLibrary.CpuSession(options.Threads));
#endif
    }
}
