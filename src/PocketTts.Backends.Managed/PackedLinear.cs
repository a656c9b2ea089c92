using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>
/// Linear weights as the kernels read them: row-major W [OutFeatures, InFeatures], so output o is one
/// contiguous dot product (float, or int8 with a per-row scale). The arrays are copies on the pinned object heap
/// (<see cref="WeightArrays"/>).
/// </summary>
internal sealed class PackedLinear : IPackedLinear
{
    private PackedLinear(int inFeatures, int outFeatures, float[] weight, sbyte[] quantizedWeight, float[] scales, float[]? bias)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = weight;
        QuantizedWeight = quantizedWeight;
        Scales = scales;
        Bias = bias;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public bool IsQuantized => QuantizedWeight.Length != 0;

    /// <summary>[OutFeatures, InFeatures], empty when quantized.</summary>
    public float[] Weight { get; }

    /// <summary>[OutFeatures, InFeatures], empty when float.</summary>
    public sbyte[] QuantizedWeight { get; }

    /// <summary>[OutFeatures] scales of <see cref="QuantizedWeight"/>, empty when float.</summary>
    public float[] Scales { get; }

    /// <summary>[OutFeatures], or null for none.</summary>
    public float[]? Bias { get; }

    public static PackedLinear Create(LinearWeights weights)
    {
        weights.Validate();
        float[]? bias = weights.Bias.IsEmpty ? null : WeightArrays.Copy(weights.Bias.Span);
        return weights.IsQuantized
            ? new PackedLinear(weights.InFeatures, weights.OutFeatures, [], WeightArrays.Copy(weights.QuantizedWeight.Span), WeightArrays.Copy(weights.Scales.Span), bias)
            : new PackedLinear(weights.InFeatures, weights.OutFeatures, WeightArrays.Copy(weights.Weight.Span), [], [], bias);
    }

    public void Dispose() { }
}
