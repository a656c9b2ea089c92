using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>Reads the golden fixtures copied from the Python reference into tests/Parity/Fixtures.</summary>
public static class Fixture
{
    /// <summary>Full path of a fixture file.</summary>
    public static string PathOf(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    /// <summary>Opens a fixture safetensors file.</summary>
    public static SafeTensorsFile Open(string relative) => SafeTensorsFile.Open(PathOf(relative));

    /// <summary>A float tensor of a fixture file.</summary>
    public static float[] Floats(this SafeTensorsFile file, string name) => WeightConversion.ToFloat32(file[name]);

    /// <summary>An I64 tensor of a fixture file, as ints.</summary>
    public static int[] Ints(this SafeTensorsFile file, string name)
    {
        var t = file[name];
        if (t.DType != TensorDType.I64)
            throw new InvalidDataException($"{name} is {t.DType}, expected I64.");
        var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(t.Data.Span);
        var result = new int[longs.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = checked((int)longs[i]);
        return result;
    }

    /// <summary>A BOOL tensor of a fixture file.</summary>
    public static bool[] Bools(this SafeTensorsFile file, string name)
    {
        var t = file[name];
        if (t.DType != TensorDType.Bool)
            throw new InvalidDataException($"{name} is {t.DType}, expected BOOL.");
        return [.. t.Data.Span.ToArray().Select(b => b != 0)];
    }

    /// <summary>Largest absolute difference between two arrays of equal length (NaN counts as infinite).</summary>
    public static float MaxAbsDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
            throw new ArgumentException($"Lengths differ: expected {expected.Length}, actual {actual.Length}.");
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            if (float.IsNaN(d))
                return float.PositiveInfinity;
            max = MathF.Max(max, d);
        }
        return max;
    }

    /// <summary>Asserts two arrays agree within a maximum absolute difference.</summary>
    public static void ShouldBeClose(this float[] actual, float[] expected, float tolerance, string what)
    {
        float diff = MaxAbsDiff(expected, actual);
        diff.ShouldBeLessThanOrEqualTo(tolerance, $"{what}: max |diff| = {diff:E2} exceeds {tolerance:E1}");
    }
}
