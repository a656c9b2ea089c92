namespace PocketTts.Backends.Conformance;

/// <summary>The cases, one file per family of operations; inputs are reproducible from fixed seeds.</summary>
internal static partial class Catalog
{
    public static ConformanceCase[] All() =>
        [.. Memory(), .. LinearLayers(), .. Convolutions(), .. ElementWise(), .. Attention(), .. Arguments()];

    private static ConformanceCase Case(string operation, string shape, Func<CaseContext, string> body) =>
        new(operation, shape.Length == 0 ? operation : $"{operation} {shape}", body);

    /// <summary>Uniform values in [−scale, scale] shifted by <paramref name="offset"/>.</summary>
    private static float[] Random(int seed, int count, float scale = 1f, float offset = 0f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale) + offset;
        return values;
    }
}
