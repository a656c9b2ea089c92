namespace PocketTts.Backends.Conformance;

/// <summary>How close a backend's results must be to the float64 reference.</summary>
/// <remarks>
/// Every tolerance is relative to the scale of the rounding errors of the value checked: for a sum, the sum of the
/// absolute values of its terms; for a function, its magnitude times its condition. So a tolerance of 1e-5 allows a
/// float32 kernel to sum in any order and to use fused multiply-add, while a wrong term, index or constant fails.
/// </remarks>
public sealed record ConformanceOptions
{
    /// <summary>Sums (linear layers, convolutions, norms, attention): 1e-5, about 170 float32 ulps of the scale.</summary>
    public double SumTolerance { get; init; } = 1e-5;

    /// <summary>Element-wise functions (ELU, GELU, SiLU, sines and cosines): 1e-5.</summary>
    public double FunctionTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Extra error allowed for int8 linear layers, as a multiple of the error of rounding each activation to int8 with a
    /// per-row scale (max|x|/127): 1, so a backend may quantize activations as the managed backend does, or keep them in
    /// float as LibTorch does.
    /// </summary>
    public double ActivationRounding { get; init; } = 1;

    /// <summary>The defaults.</summary>
    public static ConformanceOptions Default { get; } = new();
}
