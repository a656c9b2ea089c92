using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx;

/// <summary>The <c>onnx</c> backend: ONNX Runtime on the CPU, on graphs this project exports.</summary>
public sealed class OnnxBackendProvider : IBackendProvider
{
    private static readonly Lazy<string?> Failure = new(OnnxRuntimeLibrary.LoadFailure);

    /// <inheritdoc/>
    public string Name => "onnx";

    /// <inheritdoc/>
    public string Description => "ONNX Runtime on the CPU, graphs exported from the model definition";

    /// <inheritdoc/>
    public BackendProbeResult Probe() =>
        Failure.Value is { } reason ? BackendProbeResult.Unavailable(reason) : BackendProbeResult.Available($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}");

    /// <inheritdoc/>
    public IBackend Create(BackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Failure.Value is { } reason)
            throw new BackendUnavailableException($"Backend 'onnx' is not available here: {reason}");
        return new OnnxBackend(Name, options, () => OnnxRuntimeLibrary.CpuSession(options.Threads));
    }
}
