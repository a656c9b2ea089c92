using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>Linear layers, float and int8, on a single step row, on prompt-sized blocks and on odd widths.</summary>
internal static partial class Catalog
{
    private static IEnumerable<ConformanceCase> LinearLayers()
    {
        foreach ((int rows, int inFeatures, int outFeatures, bool bias) in new[] { (1, 1, 1, false), (1, 33, 17, true), (7, 64, 48, true), (13, 130, 70, false) })
        {
            yield return Case("Linear", $"float rows {rows} in {inFeatures} out {outFeatures}{(bias ? " bias" : "")}", c =>
            {
                float[] x = Random(rows + inFeatures, rows * inFeatures, 2f), w = Random(outFeatures, outFeatures * inFeatures, 0.5f);
                float[]? b = bias ? Random(3, outFeatures) : null;
                IPackedLinear packed = c.Own(c.Backend.PackLinear(new LinearWeights { OutFeatures = outFeatures, InFeatures = inFeatures, Weight = w, Bias = b }));
                if (packed.InFeatures != inFeatures || packed.OutFeatures != outFeatures || packed.IsQuantized)
                    throw new ConformanceFailure($"packed weights report [{packed.OutFeatures}, {packed.InFeatures}], quantized {packed.IsQuantized}");
                ITensor y = c.Allocate(rows, outFeatures);
                c.Backend.Linear(c.Tensor(x, rows, inFeatures), packed, y);
                (double[] expected, double[] magnitude) = DoubleReference.Linear(x, rows, w, outFeatures, b);
                c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
                return c.Outcome();
            });
        }

        foreach ((int rows, int inFeatures, int outFeatures, bool bias) in new[] { (1, 64, 40, true), (6, 257, 33, false) })
        {
            yield return Case("Linear", $"int8 rows {rows} in {inFeatures} out {outFeatures}{(bias ? " bias" : "")}", c =>
            {
                float[] x = Random(rows * 3, rows * inFeatures, 3f);
                (sbyte[] q, float[] scales) = Quantize(Random(inFeatures, outFeatures * inFeatures, 0.2f), outFeatures, inFeatures);
                float[]? b = bias ? Random(5, outFeatures) : null;
                IPackedLinear packed = c.Own(c.Backend.PackLinear(new LinearWeights
                {
                    OutFeatures = outFeatures,
                    InFeatures = inFeatures,
                    QuantizedWeight = q,
                    Scales = scales,
                    Bias = b,
                }));
                if (!packed.IsQuantized)
                    throw new ConformanceFailure("int8 weights were packed as float (IsQuantized is false)");
                ITensor y = c.Allocate(rows, outFeatures);
                c.Backend.Linear(c.Tensor(x, rows, inFeatures), packed, y);

                float[] w = new float[q.Length];
                for (int i = 0; i < w.Length; i++)
                    w[i] = q[i] * scales[i / inFeatures];
                (double[] expected, double[] magnitude) = DoubleReference.Linear(x, rows, w, outFeatures, b);
                var allowed = new double[expected.Length];
                for (int r = 0; r < rows; r++)
                {
                    // Rounding each activation to int8 with the row's scale moves it by at most max|x| / 254.
                    double step = x.AsSpan(r * inFeatures, inFeatures).ToArray().Max(Math.Abs) / 254;
                    for (int o = 0; o < outFeatures; o++)
                    {
                        double weights = 0;
                        for (int i = 0; i < inFeatures; i++)
                            weights += Math.Abs(w[o * inFeatures + i]);
                        allowed[r * outFeatures + o] = c.Options.SumTolerance * magnitude[r * outFeatures + o] + c.Options.ActivationRounding * step * weights;
                    }
                }
                c.Close(c.Values(y), expected, allowed, 1, "y");
                return c.Outcome();
            });
        }
    }

    /// <summary>Symmetric per-output-channel int8, as <c>pocket-tts quantize</c> writes it.</summary>
    private static (sbyte[] Q, float[] Scales) Quantize(float[] w, int outFeatures, int inFeatures)
    {
        var q = new sbyte[w.Length];
        var scales = new float[outFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            float max = w.AsSpan(o * inFeatures, inFeatures).ToArray().Max(Math.Abs);
            scales[o] = max / 127;
            for (int i = 0; i < inFeatures; i++)
                q[o * inFeatures + i] = (sbyte)Math.Round(w[o * inFeatures + i] / scales[o]);
        }
        return (q, scales);
    }
}
