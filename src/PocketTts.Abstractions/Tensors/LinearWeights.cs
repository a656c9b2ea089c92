namespace PocketTts.Tensors;

/// <summary>
/// The weights of a linear layer y = x·Wᵀ + b, as handed to <see cref="ITensorBackend.PackLinear"/>: either
/// float32 (<see cref="Weight"/>) or int8 with one float32 scale per output channel
/// (<see cref="QuantizedWeight"/>, <see cref="Scales"/>; W[o, i] ≈ q[o, i] · scale[o]).
/// </summary>
public sealed class LinearWeights
{
    /// <summary>Output features (rows of W).</summary>
    public required int OutFeatures { get; init; }

    /// <summary>Input features (columns of W).</summary>
    public required int InFeatures { get; init; }

    /// <summary>Float weights, row-major [OutFeatures, InFeatures]; empty when quantized.</summary>
    public ReadOnlyMemory<float> Weight { get; init; }

    /// <summary>int8 weights, row-major [OutFeatures, InFeatures]; empty when float.</summary>
    public ReadOnlyMemory<sbyte> QuantizedWeight { get; init; }

    /// <summary>Per-output-channel scales [OutFeatures] of <see cref="QuantizedWeight"/>.</summary>
    public ReadOnlyMemory<float> Scales { get; init; }

    /// <summary>Bias [OutFeatures], or empty for none.</summary>
    public ReadOnlyMemory<float> Bias { get; init; }

    /// <summary>True when the weights are int8.</summary>
    public bool IsQuantized => !QuantizedWeight.IsEmpty;

    /// <summary>Throws when the buffers do not match the declared shape.</summary>
    /// <exception cref="ArgumentException">A buffer has the wrong length; the message names it.</exception>
    public void Validate()
    {
        long n = (long)OutFeatures * InFeatures;
        if (OutFeatures <= 0 || InFeatures <= 0)
            throw new ArgumentException($"Linear layer needs positive features, got [{OutFeatures}, {InFeatures}].");
        if (IsQuantized)
        {
            if (QuantizedWeight.Length != n)
                throw new ArgumentException($"QuantizedWeight has {QuantizedWeight.Length} values, expected {OutFeatures}×{InFeatures}.");
            if (Scales.Length != OutFeatures)
                throw new ArgumentException($"Scales has {Scales.Length} values, expected {OutFeatures}.");
        }
        else if (Weight.Length != n)
        {
            throw new ArgumentException($"Weight has {Weight.Length} values, expected {OutFeatures}×{InFeatures}.");
        }
        if (!Bias.IsEmpty && Bias.Length != OutFeatures)
            throw new ArgumentException($"Bias has {Bias.Length} values, expected {OutFeatures}.");
    }
}
