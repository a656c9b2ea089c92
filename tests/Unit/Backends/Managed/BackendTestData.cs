using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Tensors;

namespace PocketTts.Tests.Unit.Backends.Managed;

/// <summary>Backends, tensors, random data and tolerance checks shared by the managed backend's tests.</summary>
internal static class BackendTestData
{
    public static ManagedTensorBackend Create(int threads = 1) => new(new BackendOptions { Threads = threads });

    public static ITensor Tensor(this ITensorBackend backend, float[] values, params int[] dims) => backend.Constant(values, new TensorShape(dims));

    public static float[] Values(this ITensorBackend backend, ITensor tensor)
    {
        var values = new float[tensor.Shape.ElementCount];
        backend.Read(tensor, values);
        return values;
    }

    /// <summary>Uniform values in [−scale, scale], reproducible from the seed.</summary>
    public static float[] Random(int seed, int count, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    /// <summary>
    /// |actual − expected| ≤ tolerance · magnitude per element, where magnitude is the sum of the absolute terms
    /// that made the expected value (the scale float rounding errors grow with), or |expected| for a function.
    /// </summary>
    public static void ShouldBeClose(float[] actual, double[] expected, double[] magnitude, double tolerance, string what = "")
    {
        actual.Length.ShouldBe(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= tolerance * magnitude[i] + 1e-30))
                throw new ShouldAssertException($"{what} element {i}: got {actual[i]:R}, expected {expected[i]:R} (error {error:E2}, allowed {tolerance * magnitude[i]:E2}).");
        }
    }

    /// <summary>Relative closeness to a float64 function value.</summary>
    public static void ShouldBeClose(float[] actual, double[] expected, double tolerance, string what = "") =>
        ShouldBeClose(actual, expected, Array.ConvertAll(expected, Math.Abs), tolerance, what);

    public static void ShouldBeBitIdentical(float[] actual, float[] expected, string what = "")
    {
        actual.Length.ShouldBe(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                throw new ShouldAssertException($"{what} element {i}: {actual[i]:R} differs from {expected[i]:R}.");
        }
    }
}
