using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>
/// Linear weights as the kernels read them: float weights in panels of <see cref="Gemm.PanelWidth"/> outputs,
/// [panels][InFeatures][16], so that <see cref="Gemm"/>'s micro-kernels read the 16 weights of one input feature
/// from one contiguous run; int8 weights in panels of <see cref="QuantizedGemm.PanelWidth"/> outputs,
/// [panels][blocks][8][16], so that <see cref="QuantizedGemm"/> reads a panel's 16-input blocks of its eight outputs
/// as one contiguous run, with a per-output scale. The arrays are copies on the pinned object heap
/// (<see cref="WeightArrays"/>).
/// </summary>
internal sealed class PackedLinear : IPackedLinear
{
    private PackedLinear(int inFeatures, int outFeatures, float[] weight, sbyte[] quantizedPanels, float[] scales, float[]? bias, float[] panelBias)
    {
        PanelBias = panelBias;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = weight;
        QuantizedPanels = quantizedPanels;
        Scales = scales;
        Bias = bias;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public bool IsQuantized => QuantizedPanels.Length != 0;

    /// <summary>Panels of <see cref="Gemm.PanelWidth"/> outputs, <see cref="Panels"/>·16 columns in all.</summary>
    public int Panels => (OutFeatures + Gemm.PanelWidth - 1) / Gemm.PanelWidth;

    /// <summary>
    /// [Panels][InFeatures][16]: W[o, i] at ((o / 16)·InFeatures + i)·16 + o mod 16, zero for the outputs of the last
    /// panel past OutFeatures; empty when quantized.
    /// </summary>
    public float[] Weight { get; }

    /// <summary>InFeatures rounded up to whole blocks of <see cref="QuantizedGemm.BlockLength"/> inputs.</summary>
    public int QuantizedRowLength => (InFeatures + QuantizedGemm.BlockLength - 1) / QuantizedGemm.BlockLength * QuantizedGemm.BlockLength;

    /// <summary>Panels of <see cref="QuantizedGemm.PanelWidth"/> outputs in <see cref="QuantizedPanels"/>.</summary>
    public int QuantizedPanelCount => (OutFeatures + QuantizedGemm.PanelWidth - 1) / QuantizedGemm.PanelWidth;

    /// <summary>
    /// [<see cref="QuantizedPanelCount"/>][<see cref="QuantizedRowLength"/> / 16][8][16]: q[o, i] at
    /// (o / 8)·8·<see cref="QuantizedRowLength"/> + (i / 16)·128 + (o mod 8)·16 + i mod 16, zero past InFeatures and
    /// for the outputs of the last panel past OutFeatures; empty when float.
    /// </summary>
    public sbyte[] QuantizedPanels { get; }

    /// <summary>[OutFeatures] scales of <see cref="QuantizedPanels"/>, empty when float.</summary>
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
        {
            return new PackedLinear(
                weights.InFeatures, weights.OutFeatures, [], PanelizeQuantized(weights.QuantizedWeight.Span, weights.InFeatures, weights.OutFeatures),
                WeightArrays.Copy(weights.Scales.Span), bias, []);
        }
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

    /// <summary>Row-major int8 [n, k] into <see cref="QuantizedPanels"/>' layout: each row's blocks of 16 inputs 128 bytes apart.</summary>
    private static sbyte[] PanelizeQuantized(ReadOnlySpan<sbyte> weight, int k, int n)
    {
        const int width = QuantizedGemm.PanelWidth, block = QuantizedGemm.BlockLength;
        int rowLength = (k + block - 1) / block * block, panels = (n + width - 1) / width;
        var packed = WeightArrays.Zeroed<sbyte>(checked(panels * width * rowLength));
        for (int o = 0; o < n; o++)
        {
            ReadOnlySpan<sbyte> row = weight.Slice(o * k, k);
            int at = (o / width * width * rowLength) + (o % width * block);
            for (int i = 0; i < k; i += block)
                row.Slice(i, Math.Min(block, k - i)).CopyTo(packed.AsSpan(at + (i * width)));
        }
        return packed;
    }

    public void Dispose() { }
}
