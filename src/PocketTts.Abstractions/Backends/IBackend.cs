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

    /// <summary>
    /// The CPU threads one stage call keeps busy, or null where the backend does not say (a native runtime with its own
    /// pool, a GPU). The engine overlaps FlowLM and Mimi on two threads only when this leaves a core free for the
    /// second: two stages sharing the cores of one pool slow each other's parallel loops down more than taking turns costs.
    /// </summary>
    int? ComputeThreads => null;
}
