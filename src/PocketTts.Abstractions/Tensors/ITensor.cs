namespace PocketTts.Tensors;

/// <summary>
/// A dense float32 tensor owned by an <see cref="ITensorBackend"/> (host memory, GPU memory, or a node of a
/// graph being recorded). Only the backend that created it can read or compute with it.
/// </summary>
public interface ITensor : IDisposable
{
    /// <summary>The tensor's shape.</summary>
    TensorShape Shape { get; }
}
