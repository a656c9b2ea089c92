using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>Rotary embeddings and causal attention through linear and ring caches, over several calls.</summary>
internal static partial class Catalog
{
    private static IEnumerable<ConformanceCase> Attention()
    {
        foreach ((int rows, int heads, int headDim, int position) in new[] { (1, 1, 2, 0), (3, 2, 6, 5), (4, 8, 64, 1234), (5, 3, 10, 77) })
        {
            yield return Case("Rope", $"rows {rows} heads {heads}×{headDim} at {position}", c =>
            {
                const float maxPeriod = 10_000f;
                float[] x = Random(headDim, rows * heads * headDim);
                (double[] expected, double[] magnitude) = DoubleReference.Rope(x, rows, heads, headDim, position, maxPeriod);
                // A float32 angle is off by a few ulps of itself, which turns the pair by as much: far positions allow more.
                for (int i = 0; i < magnitude.Length; i++)
                    magnitude[i] *= 1 + 0.1 * (position + i / (heads * headDim));
                ITensor xt = c.Tensor(x, rows, heads * headDim), y = c.Allocate(rows, heads * headDim);
                c.Backend.Rope(xt, heads, position, maxPeriod, y);
                c.Close(c.Values(y), expected, magnitude, c.Options.FunctionTolerance, "y");
                c.Backend.Rope(xt, heads, position, maxPeriod, xt);
                c.Close(c.Values(xt), expected, magnitude, c.Options.FunctionTolerance, "in place");
                return c.Outcome();
            });
        }

        // FlowLM: a linear cache filled by a prompt, then single steps. Mimi: a ring of window + longest call slots,
        // with calls that wrap the ring inside one call.
        yield return AttentionCase(heads: 2, headDim: 8, capacity: 16, window: null, calls: [5, 1, 1, 3, 1]);
        yield return AttentionCase(heads: 2, headDim: 4, capacity: 7, window: 4, calls: [3, 1, 2, 1, 3, 1, 1, 2]);
        yield return AttentionCase(heads: 1, headDim: 16, capacity: 12, window: 6, calls: [6, 6, 1, 5, 6]);
    }

    private static ConformanceCase AttentionCase(int heads, int headDim, int capacity, int? window, int[] calls) =>
        Case("Attention", $"heads {heads}×{headDim} {(window is int w ? $"ring {capacity} window {w}" : $"linear {capacity}")} calls {string.Join('+', calls)}", c =>
        {
            int width = heads * headDim, total = calls.Sum(), position = 0, seed = 20;
            IKvCache cache = c.Own(c.Backend.CreateKvCache(heads, headDim, capacity, window));
            float[] keys = new float[total * width], values = new float[total * width];
            foreach (int rows in calls)
            {
                float[] q = Random(seed++, rows * width, 2f), k = Random(seed++, rows * width, 2f), v = Random(seed++, rows * width);
                k.CopyTo(keys, position * width);
                v.CopyTo(values, position * width);
                ITensor y = c.Allocate(rows, width);
                c.Backend.Attention(c.Tensor(q, rows, width), c.Tensor(k, rows, width), c.Tensor(v, rows, width), cache, position, y);
                double[] expected = DoubleReference.Attention(q, rows, keys, values, heads, headDim, position, window);
                c.Close(c.Values(y), expected, AttentionScale(q, rows, keys, values, heads, headDim, position), c.Options.SumTolerance, $"call at {position}");
                position += rows;
            }
            if (window is null)
            {
                float[] readKeys = new float[keys.Length], readValues = new float[values.Length];
                c.Backend.ReadKvCache(cache, total, readKeys, readValues);
                c.Exact(readKeys, keys, "cached keys");
                c.Exact(readValues, values, "cached values");
            }
            return c.Outcome();
        });

    /// <summary>
    /// The scale of an attention output's rounding errors: the largest |v| the row sees, times one plus the largest
    /// score's sum of absolute terms (an error in a score changes every weight by that much, relatively).
    /// </summary>
    private static double[] AttentionScale(float[] q, int rows, float[] keys, float[] values, int heads, int d, int position)
    {
        var scale = new double[rows * heads * d];
        for (int t = 0; t < rows; t++)
        {
            for (int h = 0; h < heads; h++)
            {
                double maxValue = 0, maxScore = 0;
                for (int j = 0; j <= position + t; j++)
                {
                    double score = 0;
                    for (int i = 0; i < d; i++)
                    {
                        score += Math.Abs((double)q[(t * heads + h) * d + i] * keys[(j * heads + h) * d + i]);
                        maxValue = Math.Max(maxValue, Math.Abs(values[(j * heads + h) * d + i]));
                    }
                    maxScore = Math.Max(maxScore, score / Math.Sqrt(d));
                }
                for (int i = 0; i < d; i++)
                    scale[(t * heads + h) * d + i] = maxValue * (1 + maxScore);
            }
        }
        return scale;
    }
}
