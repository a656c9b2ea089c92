using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>
/// Linear weights as the kernels read them: float weights in panels of <see cref="Gemm.PanelWidth"/> outputs,
/// [panels][InFeatures][16], so that <see cref="Gemm"/>'s micro-kernels read the 16 weights of one input feature
/// from one contiguous run; int8 weights row-major [OutFeatures, InFeatures] with a per-row scale, so that output o
/// is one contiguous dot product. The arrays are copies on the pinned object heap (<see cref="WeightArrays"/>).
/// </summary>
internal sealed class PackedLinear : IPackedLinear
{
    private PackedLinear(int inFeatures, int outFeatures, float[] weight, sbyte[] quantizedWeight, float[] scales, float[]? bias, float[] panelBias)
    {
        PanelBias = panelBias;
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

    /// <summary>Panels of <see cref="Gemm.PanelWidth"/> outputs, <see cref="Panels"/>·16 columns in all.</summary>
    public int Panels => (OutFeatures + Gemm.PanelWidth - 1) / Gemm.PanelWidth;

    /// <summary>
    /// [Panels][InFeatures][16]: W[o, i] at ((o / 16)·InFeatures + i)·16 + o mod 16, zero for the outputs of the last
    /// panel past OutFeatures; empty when quantized.
    /// </summary>
    public float[] Weight { get; }

    /// <summary>[OutFeatures, InFeatures], empty when float.</summary>
    public sbyte[] QuantizedWeight { get; }

    /// <summary>[OutFeatures] scales of <see cref="QuantizedWeight"/>, empty when float.</summary>
    public float[] Scales { get; }

    /// <summary>[OutFeatures], or null for none.</summary>
    public float[]? Bias { get; }

    /// <summary>[Panels·16] for float weights: the bias, zeros where there is none or past OutFeatures; empty when quantized.</summary>
    public float[] PanelBias { get; }

    public static PackedLinear Create(LinearWeights weights)
    {
        weights.Validate();
        float[]? bias = weights.Bias.IsEmpty ? null : WeightArrays.Copy(weights.Bias.Span);
        if (weights.IsQuantized)
            return new PackedLinear(weights.InFeatures, weights.OutFeatures, [], WeightArrays.Copy(weights.QuantizedWeight.Span), WeightArrays.Copy(weights.Scales.Span), bias, []);
        int k = weights.InFeatures, n = weights.OutFeatures, panels = (n + Gemm.PanelWidth - 1) / Gemm.PanelWidth;
        var panelBias = WeightArrays.Zeroed<float>(panels * Gemm.PanelWidth);
        bias?.CopyTo(panelBias, 0);
        return new PackedLinear(k, n, Panelize(weights.Weight.Span, k, n, panels), [], [], bias, panelBias);
    }

    private static float[] Panelize(ReadOnlySpan<float> weight, int k, int n, int panels)
    {
        var packed = WeightArrays.Zeroed<float>(checked(panels * k * Gemm.PanelWidth));
        for (int o = 0; o < n; o++)
        {
            ReadOnlySpan<float> row = weight.Slice(o * k, k);
            int at = (o / Gemm.PanelWidth * k * Gemm.PanelWidth) + o % Gemm.PanelWidth;
            for (int i = 0; i < k; i++, at += Gemm.PanelWidth)
                packed[at] = row[i];
        }
        return packed;
    }

    public void Dispose() { }
}
