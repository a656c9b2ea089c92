using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// Normalisations over the last axis, one row at a time, two passes (mean, then squared deviations) so the
/// variance does not cancel. Sums run in a fixed order: four vector accumulators, combined pairwise, then the tail.
/// </summary>
internal static class Norms
{
    /// <summary>
    /// nn.LayerNorm: y = (x − mean)·rstd·weight + bias with the biased variance; weight and bias both empty for
    /// a norm without affine parameters. x and y [rows, features] may be the same span.
    /// </summary>
    public static void LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float eps, Span<float> y, int features)
    {
        Debug.Assert(x.Length == y.Length && features > 0 && x.Length % features == 0);
        for (int start = 0; start < x.Length; start += features)
        {
            ReadOnlySpan<float> row = x.Slice(start, features);
            float mean = Sum(row) / features;
            float rstd = 1f / MathF.Sqrt(SquaredDeviations(row, mean) / features + eps);
            if (weight.IsEmpty)
                Elementwise.Map(new ScaleShiftOperator(rstd, -mean * rstd), row, y.Slice(start, features));
            else
                Normalize(row, mean, rstd, weight, bias, y.Slice(start, features));
        }
    }

    /// <summary>
    /// _rms_norm of pocket_tts/modules/mlp.py: y = x · (alpha / √(eps + var)) with the unbiased, mean-subtracted
    /// variance, while x itself is not centred. x and y [rows, features] may be the same span.
    /// </summary>
    public static void VarianceNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> alpha, float eps, Span<float> y)
    {
        int features = alpha.Length;
        Debug.Assert(x.Length == y.Length && features > 0 && x.Length % features == 0);
        for (int start = 0; start < x.Length; start += features)
        {
            ReadOnlySpan<float> row = x.Slice(start, features);
            float mean = Sum(row) / features;
            float r = 1f / MathF.Sqrt(eps + SquaredDeviations(row, mean) / (features - 1));
            Elementwise.Zip(new ScaledMultiplyOperator(r), row, alpha, y.Slice(start, features));
        }
    }

    /// <summary>Σ x[i], in a fixed order.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length;
        float sum = 0f;
        if (Simd.IsAccelerated && n >= Simd.Width)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * Simd.Width; i += 4 * Simd.Width)
            {
                a0 += Vector256.LoadUnsafe(ref xs, (nuint)i);
                a1 += Vector256.LoadUnsafe(ref xs, (nuint)(i + Simd.Width));
                a2 += Vector256.LoadUnsafe(ref xs, (nuint)(i + 2 * Simd.Width));
                a3 += Vector256.LoadUnsafe(ref xs, (nuint)(i + 3 * Simd.Width));
            }
            for (; i <= n - Simd.Width; i += Simd.Width)
                a0 += Vector256.LoadUnsafe(ref xs, (nuint)i);
            sum = Simd.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++)
            sum += Unsafe.Add(ref xs, i);
        return sum;
    }

    /// <summary>Σ (x[i] − mean)², in a fixed order.</summary>
    public static float SquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length;
        float sum = 0f;
        if (Simd.IsAccelerated && n >= Simd.Width)
        {
            Vector256<float> m = Vector256.Create(mean);
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * Simd.Width; i += 4 * Simd.Width)
            {
                Vector256<float> d0 = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
                Vector256<float> d1 = Vector256.LoadUnsafe(ref xs, (nuint)(i + Simd.Width)) - m;
                Vector256<float> d2 = Vector256.LoadUnsafe(ref xs, (nuint)(i + 2 * Simd.Width)) - m;
                Vector256<float> d3 = Vector256.LoadUnsafe(ref xs, (nuint)(i + 3 * Simd.Width)) - m;
                a0 = Simd.MultiplyAdd(d0, d0, a0);
                a1 = Simd.MultiplyAdd(d1, d1, a1);
                a2 = Simd.MultiplyAdd(d2, d2, a2);
                a3 = Simd.MultiplyAdd(d3, d3, a3);
            }
            for (; i <= n - Simd.Width; i += Simd.Width)
            {
                Vector256<float> d = Vector256.LoadUnsafe(ref xs, (nuint)i) - m;
                a0 = Simd.MultiplyAdd(d, d, a0);
            }
            sum = Simd.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref xs, i) - mean;
            sum = Simd.MultiplyAdd(d, d, sum);
        }
        return sum;
    }

    private static void Normalize(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ws = ref MemoryMarshal.GetReference(weight);
        ref float bs = ref MemoryMarshal.GetReference(bias);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length;
        if (Simd.IsAccelerated)
        {
            Vector256<float> m = Vector256.Create(mean), r = Vector256.Create(rstd);
            for (; i <= n - Simd.Width; i += Simd.Width)
            {
                Vector256<float> t = (Vector256.LoadUnsafe(ref xs, (nuint)i) - m) * r;
                Simd.MultiplyAdd(t, Vector256.LoadUnsafe(ref ws, (nuint)i), Vector256.LoadUnsafe(ref bs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref ys, i) = Simd.MultiplyAdd((Unsafe.Add(ref xs, i) - mean) * rstd, Unsafe.Add(ref ws, i), Unsafe.Add(ref bs, i));
    }

    /// <summary>x · (alpha · r), the product order of _rms_norm.</summary>
    private readonly struct ScaledMultiplyOperator(float r) : IBinaryOperator
    {
        public float Invoke(float a, float b) => a * (b * r);

        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * (b * Vector256.Create(r));
    }
}
