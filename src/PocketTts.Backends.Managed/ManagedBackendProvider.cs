using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PocketTts.Backends.Managed;

/// <summary>The <c>managed</c> backend: pure C# kernels, vectorised with AVX2/FMA where the CPU has them.</summary>
public sealed class ManagedBackendProvider : IBackendProvider
{
    /// <inheritdoc/>
    public string Name => "managed";

    /// <inheritdoc/>
    public string Description => "pure C# SIMD kernels (System.Runtime.Intrinsics), no native library";

    /// <inheritdoc/>
    public BackendProbeResult Probe() => BackendProbeResult.Available(InstructionSet);

    /// <inheritdoc/>
    public IBackend Create(BackendOptions options) => new ManagedTensorBackend(options);

    internal static string InstructionSet =>
        Vector256.IsHardwareAccelerated && Fma.IsSupported ? "AVX2 + FMA"
        : Vector256.IsHardwareAccelerated ? "256-bit vectors"
        : Vector128.IsHardwareAccelerated ? "128-bit vectors"
        : "scalar";
}
