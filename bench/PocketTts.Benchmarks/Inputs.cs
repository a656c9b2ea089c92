using System.Globalization;

namespace PocketTts.Benchmarks;

/// <summary>Reproducible inputs of order one.</summary>
internal static class Inputs
{
    public static float[] Uniform(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>The sizes of a shape parameter written "AxB" or "AxBxC".</summary>
    public static int[] Sizes(string shape) => Array.ConvertAll(shape.Split('x'), part => int.Parse(part, CultureInfo.InvariantCulture));
}
