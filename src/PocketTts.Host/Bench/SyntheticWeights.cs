using System.Runtime.InteropServices;
using System.Text.Json;
using PocketTts.Weights;

namespace PocketTts.Host.Bench;

/// <summary>
/// Random weights with exactly the names and shapes of a real checkpoint (from its tensor manifest), so the
/// full-size model can be measured without downloading it. Matrices are N(0, 1/fan_in) so activations stay of
/// order one; norm gains are 1, biases and means 0, standard deviations 1.
/// </summary>
internal static class SyntheticWeights
{
    public static InMemoryWeights FromEmbeddedManifest(string name, int seed)
    {
        using Stream stream = typeof(SyntheticWeights).Assembly.GetManifestResourceStream($"PocketTts.Host.Bench.{name}.manifest.json")
            ?? throw new InvalidOperationException($"No embedded manifest '{name}'.");
        using JsonDocument doc = JsonDocument.Parse(stream);
        var random = new Random(seed);
        var weights = new InMemoryWeights();
        foreach (JsonElement t in doc.RootElement.GetProperty("tensors").EnumerateArray())
        {
            string key = t.GetProperty("name").GetString()!;
            int[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            weights.Add(key, Values(key, shape, random), shape);
        }
        return weights;
    }

    private static float[] Values(string key, int[] shape, Random random)
    {
        var values = new float[shape.Aggregate(1, (n, d) => n * d)];
        if (key.EndsWith("emb_std", StringComparison.Ordinal) || key.EndsWith("alpha", StringComparison.Ordinal)
            || (key.Contains("norm", StringComparison.Ordinal) && key.EndsWith("weight", StringComparison.Ordinal)))
        {
            values.AsSpan().Fill(1f);
        }
        else if (key.EndsWith("freqs", StringComparison.Ordinal))
        {
            for (int i = 0; i < values.Length; i++)
                values[i] = MathF.Exp(-MathF.Log(10000f) * i / values.Length);
        }
        else if (shape.Length >= 2 || key.EndsWith("bos_emb", StringComparison.Ordinal) || key.EndsWith("scale", StringComparison.Ordinal))
        {
            int fanIn = shape.Length >= 2 ? shape[1..].Aggregate(1, (n, d) => n * d) : 1;
            float std = 1f / MathF.Sqrt(fanIn);
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return values;
    }

    /// <summary>Parameter count of a weight source (for the report).</summary>
    public static long Parameters(IWeightSource weights) =>
        weights.Names.Sum(n => weights.TryGet(n, out WeightTensor t) ? t.ElementCount : 0);

    internal static ReadOnlySpan<float> AsFloats(WeightTensor t) => MemoryMarshal.Cast<byte, float>(t.Data.Span);
}
