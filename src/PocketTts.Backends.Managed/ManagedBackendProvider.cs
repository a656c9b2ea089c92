using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Backends.Managed;

/// <summary>The <c>managed</c> backend: pure C# kernels, vectorised with AVX2/FMA where the CPU has them.</summary>
public sealed class ManagedBackendProvider : IBackendProvider
{
    /// <inheritdoc/>
    public string Name => "managed";

    /// <inheritdoc/>
    public string Description => "pure C# SIMD kernels (System.Runtime.Intrinsics), no native library";

    /// <inheritdoc/>
    public BackendProbeResult Probe() => BackendProbeResult.Available(Simd.Kernels.Description);

    /// <inheritdoc/>
    public IBackend Create(BackendOptions options) => new ManagedTensorBackend(options);
}
