namespace PocketTts.Tensors;

/// <summary>
/// Weights of a linear layer prepared once by <see cref="ITensorBackend.PackLinear"/> in the layout the
/// backend's kernel reads (possibly int8). Immutable and safe to share between threads.
/// </summary>
public interface IPackedLinear : IDisposable
{
    /// <summary>Input features.</summary>
    int InFeatures { get; }

    /// <summary>Output features.</summary>
    int OutFeatures { get; }

    /// <summary>True when the weights are int8 with per-output-channel scales.</summary>
    bool IsQuantized { get; }
}

/// <summary>
/// Weights of a convolution or transposed convolution prepared once by <see cref="ITensorBackend.PackConv1d"/> or
/// <see cref="ITensorBackend.PackConvTranspose1d"/>. Immutable and safe to share between threads.
/// </summary>
public interface IPackedConv : IDisposable
{
    /// <summary>The geometry the weights were packed for.</summary>
    ConvGeometry Geometry { get; }

    /// <summary>True for a transposed convolution.</summary>
    bool IsTransposed { get; }
}
