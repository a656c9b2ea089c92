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

    /// <summary>Σ x[i], in a fixed order for a vector width.</summary>
    public static float Sum(ReadOnlySpan<float> x) =>
        Vector256.IsHardwareAccelerated ? Sum<Lanes256, Vector256<float>>(x)
        : Vector128.IsHardwareAccelerated ? Sum<Lanes128, Vector128<float>>(x)
        : Tail(x, 0, 0f);

    /// <summary>Σ x[i] with four accumulators of <typeparamref name="TLanes"/>, then the scalar tail (tests compare the widths).</summary>
    public static float Sum<TLanes, TVector>(ReadOnlySpan<float> x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length, width = TLanes.Count;
        float sum = 0f;
        if (n >= width)
        {
            TVector a0 = TLanes.Broadcast(0f), a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * width; i += 4 * width)
            {
                a0 = TLanes.Add(a0, TLanes.Load(ref xs, (nuint)i));
                a1 = TLanes.Add(a1, TLanes.Load(ref xs, (nuint)(i + width)));
                a2 = TLanes.Add(a2, TLanes.Load(ref xs, (nuint)(i + 2 * width)));
                a3 = TLanes.Add(a3, TLanes.Load(ref xs, (nuint)(i + 3 * width)));
            }
            for (; i <= n - width; i += width)
                a0 = TLanes.Add(a0, TLanes.Load(ref xs, (nuint)i));
            sum = TLanes.Sum(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3)));
        }
        return Tail(x, i, sum);
    }

    private static float Tail(ReadOnlySpan<float> x, int start, float sum)
    {
        for (int i = start; i < x.Length; i++)
            sum += x[i];
        return sum;
    }

    /// <summary>Σ (x[i] − mean)², in a fixed order for a vector width.</summary>
    public static float SquaredDeviations(ReadOnlySpan<float> x, float mean) =>
        Vector256.IsHardwareAccelerated ? SquaredDeviations<Lanes256, Vector256<float>>(x, mean)
        : Vector128.IsHardwareAccelerated ? SquaredDeviations<Lanes128, Vector128<float>>(x, mean)
        : SquaredDeviationsTail(x, mean, 0, 0f);

    /// <summary>Σ (x[i] − mean)² with four accumulators of <typeparamref name="TLanes"/>, then the scalar tail.</summary>
    public static float SquaredDeviations<TLanes, TVector>(ReadOnlySpan<float> x, float mean)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length, width = TLanes.Count;
        float sum = 0f;
        if (n >= width)
        {
            TVector m = TLanes.Broadcast(mean);
            TVector a0 = TLanes.Broadcast(0f), a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * width; i += 4 * width)
            {
                TVector d0 = TLanes.Subtract(TLanes.Load(ref xs, (nuint)i), m);
                TVector d1 = TLanes.Subtract(TLanes.Load(ref xs, (nuint)(i + width)), m);
                TVector d2 = TLanes.Subtract(TLanes.Load(ref xs, (nuint)(i + 2 * width)), m);
                TVector d3 = TLanes.Subtract(TLanes.Load(ref xs, (nuint)(i + 3 * width)), m);
                a0 = TLanes.MultiplyAdd(d0, d0, a0);
                a1 = TLanes.MultiplyAdd(d1, d1, a1);
                a2 = TLanes.MultiplyAdd(d2, d2, a2);
                a3 = TLanes.MultiplyAdd(d3, d3, a3);
            }
            for (; i <= n - width; i += width)
            {
                TVector d = TLanes.Subtract(TLanes.Load(ref xs, (nuint)i), m);
                a0 = TLanes.MultiplyAdd(d, d, a0);
            }
            sum = TLanes.Sum(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3)));
        }
        return SquaredDeviationsTail(x, mean, i, sum);
    }

    private static float SquaredDeviationsTail(ReadOnlySpan<float> x, float mean, int start, float sum)
    {
        for (int i = start; i < x.Length; i++)
        {
            float d = x[i] - mean;
            sum = Simd.MultiplyAdd(d, d, sum);
        }
        return sum;
    }

    /// <summary>y = (x − mean)·rstd·weight + bias, the affine part of <see cref="LayerNorm"/>.</summary>
    private static void Normalize(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        if (Vector256.IsHardwareAccelerated)
            Normalize<Lanes256, Vector256<float>>(x, mean, rstd, weight, bias, y);
        else if (Vector128.IsHardwareAccelerated)
            Normalize<Lanes128, Vector128<float>>(x, mean, rstd, weight, bias, y);
        else
            NormalizeTail(x, mean, rstd, weight, bias, y, 0);
    }

    /// <summary><see cref="Normalize(ReadOnlySpan{float}, float, float, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> with vectors of <typeparamref name="TLanes"/>, then the scalar tail.</summary>
    internal static void Normalize<TLanes, TVector>(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ws = ref MemoryMarshal.GetReference(weight);
        ref float bs = ref MemoryMarshal.GetReference(bias);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length, width = TLanes.Count;
        TVector m = TLanes.Broadcast(mean), r = TLanes.Broadcast(rstd);
        for (; i <= n - width; i += width)
        {
            TVector t = TLanes.Multiply(TLanes.Subtract(TLanes.Load(ref xs, (nuint)i), m), r);
            TLanes.Store(TLanes.MultiplyAdd(t, TLanes.Load(ref ws, (nuint)i), TLanes.Load(ref bs, (nuint)i)), ref ys, (nuint)i);
        }
        NormalizeTail(x, mean, rstd, weight, bias, y, i);
    }

    private static void NormalizeTail(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int start)
    {
        for (int i = start; i < x.Length; i++)
            y[i] = Simd.MultiplyAdd((x[i] - mean) * rstd, weight[i], bias[i]);
    }

    /// <summary>x · (alpha · r), the product order of _rms_norm.</summary>
    private readonly struct ScaledMultiplyOperator(float r) : IBinaryOperator
    {
        public float Invoke(float a, float b) => a * (b * r);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TLanes, TVector>(TVector a, TVector b)
            where TLanes : struct, IVectorMath<TVector>
            where TVector : struct => TLanes.Multiply(a, TLanes.Multiply(b, TLanes.Broadcast(r)));
    }
}
