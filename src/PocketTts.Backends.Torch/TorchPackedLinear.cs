using PocketTts.Tensors;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>
/// Linear weights on the device as float32: Wᵀ [InFeatures, OutFeatures] (a transposed view of the row-major W,
/// which the BLAS reads with its transpose flag) and the bias. int8 weights are dequantized here, once.
/// </summary>
internal sealed class TorchPackedLinear : IPackedLinear
{
    private readonly torch.Tensor _weight;

    private TorchPackedLinear(int inFeatures, int outFeatures, bool isQuantized, torch.Tensor weight, torch.Tensor? bias)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        IsQuantized = isQuantized;
        _weight = weight;
        WeightTransposed = weight.t();
        Bias = bias;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>True when the weights came as int8 (they are held dequantized).</summary>
    public bool IsQuantized { get; }

    /// <summary>Wᵀ [InFeatures, OutFeatures].</summary>
    public torch.Tensor WeightTransposed { get; }

    /// <summary>[OutFeatures], or null for none.</summary>
    public torch.Tensor? Bias { get; }

    public static TorchPackedLinear Create(LinearWeights weights, torch.Device device)
    {
        weights.Validate();
        float[] w = weights.IsQuantized ? Dequantize(weights) : weights.Weight.ToArray();
        torch.Tensor weight = TorchTensors.FromHost(w, [weights.OutFeatures, weights.InFeatures], device);
        torch.Tensor? bias = weights.Bias.IsEmpty ? null : TorchTensors.FromHost(weights.Bias.Span, [weights.OutFeatures], device);
        return new TorchPackedLinear(weights.InFeatures, weights.OutFeatures, weights.IsQuantized, weight, bias);
    }

    /// <summary>W[o, i] = q[o, i] · scale[o], in float32 (the product is exact up to one rounding).</summary>
    internal static float[] Dequantize(LinearWeights weights)
    {
        ReadOnlySpan<sbyte> q = weights.QuantizedWeight.Span;
        ReadOnlySpan<float> scales = weights.Scales.Span;
        int columns = weights.InFeatures;
        var w = new float[q.Length];
        for (int o = 0; o < weights.OutFeatures; o++)
        {
            float scale = scales[o];
            for (int i = 0; i < columns; i++)
                w[o * columns + i] = q[o * columns + i] * scale;
        }
        return w;
    }

    public void Dispose()
    {
        WeightTransposed.Dispose();
        _weight.Dispose();
        Bias?.Dispose();
    }
}
