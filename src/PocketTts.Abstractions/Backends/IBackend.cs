using PocketTts.Tensors;

namespace PocketTts.Backends;

/// <summary>
/// A backend instance created by <see cref="IBackendProvider.Create"/>. Every backend is one of two kinds:
/// <see cref="ITensorBackend"/> (primitive operations) or <see cref="IStageBackend"/> (whole model stages).
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>The backend name this instance was created for.</summary>
    string Name { get; }

    /// <summary>
    /// The CPU kernels this instance runs in this process, or null where the backend does not say (a native runtime
    /// that picks its kernels itself).
    /// </summary>
    CpuKernels? CpuKernels => null;
}
