using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Benchmarks;

/// <summary>
/// The float GEMM as it was before the outer-product micro-kernel (issue #19), kept here only so that
/// <see cref="GemmBenchmarks"/> measures before and after in the same run: every output one dot product with one
/// vector accumulator over K (lanes split K), a 4-row × 2-output block, a horizontal sum per output.
/// </summary>
internal static class DotProductGemm
{
    private const int OutputsPerItem = 8;
    private const int PanelFloats = 256;
    private const int PanelRows = 16;

    public static void Run(float[] x, int rows, RowMajorLinear w, float[] y, WorkerPool pool)
    {
        var job = new Job(x, rows, w, y);
        int items = (w.OutFeatures + OutputsPerItem - 1) / OutputsPerItem;
        pool.For(items, ref job, (long)rows * w.InFeatures * w.OutFeatures);
    }

    private readonly struct Job(float[] x, int rows, RowMajorLinear w, float[] y) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            int k = w.InFeatures, n = w.OutFeatures;
            float[]? bias = w.Bias;
            Span<Vector256<float>> acc = stackalloc Vector256<float>[Vector256.IsHardwareAccelerated && rows >= 4 ? PanelRows * OutputsPerItem : 0];
            for (int item = begin; item < end; item++)
            {
                int o0 = item * OutputsPerItem, o1 = Math.Min(o0 + OutputsPerItem, n);
                int r = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    // A partial item (the last one, N not a multiple of 8) walks the same panels with fewer pairs
                    // and leaves an odd output to Dot.
                    int paired = (o1 - o0) & ~1;
                    int body = k & ~(Vector256<float>.Count - 1);
                    while (rows - r >= 4)
                    {
                        int group = Math.Min(PanelRows, (rows - r) & ~3);
                        Panels(x, r, group, w.Weight, o0, paired, k, acc);
                        for (int rr = 0; rr < group; rr++)
                        {
                            for (int oo = 0; oo < paired; oo++)
                            {
                                int o = o0 + oo;
                                y[(r + rr) * n + o] = Finish(Simd.Sum(acc[rr * OutputsPerItem + oo]), ref w.Weight[o * k], ref x[(r + rr) * k], body, k, bias, o);
                            }
                        }
                        if (paired < o1 - o0)
                            Odd(x, r, group, w, o1 - 1, y);
                        r += group;
                    }
                }
                for (; r < rows; r++)
                {
                    int o = o0;
                    if (Vector256.IsHardwareAccelerated)
                    {
                        for (; o + 4 <= o1; o += 4)
                            Dot1x4(x, r, w.Weight, o, k, bias, y, n);
                    }
                    for (; o < o1; o++)
                        y[r * n + o] = Dot(x, r, w.Weight, o, k, bias);
                }
            }
        }
    }

    /// <summary>
    /// acc[rr·8 + oo] = the vector chain of x[r + rr]·W[o0 + oo] over the whole vector body of K, for rows
    /// r … r + group − 1 (group a multiple of 4) and the item's first <paramref name="paired"/> outputs (even, at
    /// most 8), walked panel by panel.
    /// </summary>
    private static void Panels(float[] x, int r, int group, float[] w, int o0, int paired, int k, Span<Vector256<float>> acc)
    {
        acc[..(group * OutputsPerItem)].Clear();
        int body = k & ~(Vector256<float>.Count - 1);
        for (int start = 0; start < body; start += PanelFloats)
        {
            int stop = Math.Min(start + PanelFloats, body);
            for (int rr = 0; rr < group; rr += 4)
            {
                for (int oo = 0; oo < paired; oo += 2)
                    Panel4x2(x, r + rr, w, o0 + oo, k, start, stop, ref acc[rr * OutputsPerItem + oo]);
            }
        }
    }

    /// <summary>Continues the chains of 4 rows × 2 outputs over [start, stop); a points at row 0, output 0 of the scratch.</summary>
    private static void Panel4x2(float[] x, int r, float[] w, int o, int k, int start, int stop, ref Vector256<float> a)
    {
        ref float x0 = ref x[r * k];
        ref float x1 = ref Unsafe.Add(ref x0, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        ref float x3 = ref Unsafe.Add(ref x2, k);
        ref float w0 = ref w[o * k];
        ref float w1 = ref Unsafe.Add(ref w0, k);
        Vector256<float> a00 = a, a01 = Unsafe.Add(ref a, 1);
        Vector256<float> a10 = Unsafe.Add(ref a, OutputsPerItem), a11 = Unsafe.Add(ref a, OutputsPerItem + 1);
        Vector256<float> a20 = Unsafe.Add(ref a, 2 * OutputsPerItem), a21 = Unsafe.Add(ref a, 2 * OutputsPerItem + 1);
        Vector256<float> a30 = Unsafe.Add(ref a, 3 * OutputsPerItem), a31 = Unsafe.Add(ref a, 3 * OutputsPerItem + 1);
        for (int i = start; i < stop; i += Vector256<float>.Count)
        {
            Vector256<float> v0 = Vector256.LoadUnsafe(ref w0, (nuint)i);
            Vector256<float> v1 = Vector256.LoadUnsafe(ref w1, (nuint)i);
            Vector256<float> u = Vector256.LoadUnsafe(ref x0, (nuint)i);
            a00 = Simd.MultiplyAdd(v0, u, a00);
            a01 = Simd.MultiplyAdd(v1, u, a01);
            u = Vector256.LoadUnsafe(ref x1, (nuint)i);
            a10 = Simd.MultiplyAdd(v0, u, a10);
            a11 = Simd.MultiplyAdd(v1, u, a11);
            u = Vector256.LoadUnsafe(ref x2, (nuint)i);
            a20 = Simd.MultiplyAdd(v0, u, a20);
            a21 = Simd.MultiplyAdd(v1, u, a21);
            u = Vector256.LoadUnsafe(ref x3, (nuint)i);
            a30 = Simd.MultiplyAdd(v0, u, a30);
            a31 = Simd.MultiplyAdd(v1, u, a31);
        }
        a = a00;
        Unsafe.Add(ref a, 1) = a01;
        Unsafe.Add(ref a, OutputsPerItem) = a10;
        Unsafe.Add(ref a, OutputsPerItem + 1) = a11;
        Unsafe.Add(ref a, 2 * OutputsPerItem) = a20;
        Unsafe.Add(ref a, 2 * OutputsPerItem + 1) = a21;
        Unsafe.Add(ref a, 3 * OutputsPerItem) = a30;
        Unsafe.Add(ref a, 3 * OutputsPerItem + 1) = a31;
    }

    /// <summary>The last, unpaired output o of a partial item for rows r … r + group − 1; out of line, so that its
    /// loop costs the hot finishing loop of whole items no registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Odd(float[] x, int r, int group, RowMajorLinear w, int o, float[] y)
    {
        int n = w.OutFeatures;
        for (int rr = r; rr < r + group; rr++)
            y[rr * n + o] = Dot(x, rr, w.Weight, o, w.InFeatures, w.Bias);
    }

    /// <summary>The reference form of every output: x[r]·W[o] + b[o].</summary>
    private static float Dot(float[] x, int r, float[] w, int o, int k, float[]? bias)
    {
        ref float xr = ref x[r * k];
        ref float wo = ref w[o * k];
        int i = 0;
        float sum = 0f;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= k - Vector256<float>.Count; i += Vector256<float>.Count)
                acc = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref wo, (nuint)i), Vector256.LoadUnsafe(ref xr, (nuint)i), acc);
            sum = Simd.Sum(acc);
        }
        return Finish(sum, ref wo, ref xr, i, k, bias, o);
    }

    private static void Dot1x4(float[] x, int r, float[] w, int o, int k, float[]? bias, float[] y, int n)
    {
        ref float xr = ref x[r * k];
        ref float w0 = ref w[o * k];
        ref float w1 = ref Unsafe.Add(ref w0, k);
        ref float w2 = ref Unsafe.Add(ref w1, k);
        ref float w3 = ref Unsafe.Add(ref w2, k);
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= k - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            Vector256<float> xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
            a0 = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref w0, (nuint)i), xv, a0);
            a1 = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref w1, (nuint)i), xv, a1);
            a2 = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref w2, (nuint)i), xv, a2);
            a3 = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref w3, (nuint)i), xv, a3);
        }
        ref float yr = ref y[r * n + o];
        yr = Finish(Simd.Sum(a0), ref w0, ref xr, i, k, bias, o);
        Unsafe.Add(ref yr, 1) = Finish(Simd.Sum(a1), ref w1, ref xr, i, k, bias, o + 1);
        Unsafe.Add(ref yr, 2) = Finish(Simd.Sum(a2), ref w2, ref xr, i, k, bias, o + 2);
        Unsafe.Add(ref yr, 3) = Finish(Simd.Sum(a3), ref w3, ref xr, i, k, bias, o + 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(float sum, ref float w, ref float x, int start, int k, float[]? bias, int o)
    {
        for (int i = start; i < k; i++)
            sum = Simd.MultiplyAdd(Unsafe.Add(ref w, i), Unsafe.Add(ref x, i), sum);
        return bias is null ? sum : sum + bias[o];
    }
}

/// <summary>Row-major W [OutFeatures, InFeatures], the layout <see cref="DotProductGemm"/> reads.</summary>
internal sealed record RowMajorLinear(int InFeatures, int OutFeatures, float[] Weight, float[]? Bias);
