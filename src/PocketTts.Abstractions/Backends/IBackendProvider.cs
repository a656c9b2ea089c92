using PocketTts.Tensors;

namespace PocketTts.Backends;

/// <summary>
/// What a plugin exports for one backend name (<c>managed</c>, <c>torch</c>, <c>torch-cuda</c>, <c>onnx</c>,
/// <c>onnx-cuda</c>, or a third party's). Registered as a singleton in the host's DI container.
/// Implementations must be cheap to construct: expensive work (loading native libraries) belongs in
/// <see cref="Probe"/> or <see cref="Create"/>, and neither may throw for an environment problem.
/// </summary>
public interface IBackendProvider
{
    /// <summary>The backend name users pass to <c>--backend</c>: lower case, no spaces.</summary>
    string Name { get; }

    /// <summary>A one-line human description, for example "pure C# SIMD (AVX2/FMA)".</summary>
    string Description { get; }

    /// <summary>
    /// Says whether this backend can run on this machine, and if not, precisely why (the missing native
    /// library by name, the missing GPU, ...). Must not throw.
    /// </summary>
    BackendProbeResult Probe();

    /// <summary>
    /// Creates a backend instance. The result is either an <see cref="ITensorBackend"/> (the engine builds the
    /// model stages on it) or an <see cref="IStageBackend"/> (the backend provides the stages itself, as a
    /// graph runtime does). The caller disposes it.
    /// </summary>
    /// <param name="options">Threads, device and quantization preferences.</param>
    /// <exception cref="BackendUnavailableException">The backend cannot run here.</exception>
    IBackend Create(BackendOptions options);
}
