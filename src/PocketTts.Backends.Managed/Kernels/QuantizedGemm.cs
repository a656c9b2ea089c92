using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// y = x·Wᵀ + b with int8 weights W ≈ q[o, i]·scale[o]: each activation row is quantised on the fly to int8
/// with its own scale (max |x| / 127, round half to even), the int8 products are summed exactly in int32, and
/// y[r, o] = float(Σ q·qx) · (xScale[r]·scale[o]) + b[o] (one fused multiply-add on FMA hardware).
/// </summary>
/// <remarks>
/// Integer sums are exact, so the result does not depend on the summation order, the block shape or the thread
/// count. AVX2 sign-extends 16 weights to int16 and multiplies them with the int16 activations pairwise into
/// int32 (vpmaddwd), which cannot saturate: |127·127·2| is far below 2³¹, and a sum over K stays exact up to
/// K = 2³¹ / 127² ≈ 133 000 features.
/// </remarks>
internal static class QuantizedGemm
{
    private const int OutputsPerItem = 8;
    private const int Step = 16;

    public static void Run(float[] x, int rows, PackedLinear w, float[] y, WorkerPool pool)
    {
        int k = w.InFeatures;
        short[] qx = ArrayPool<short>.Shared.Rent(rows * k);
        float[] xScales = ArrayPool<float>.Shared.Rent(rows);
        try
        {
            for (int r = 0; r < rows; r++)
                xScales[r] = Quantize(x.AsSpan(r * k, k), qx.AsSpan(r * k, k));
            var job = new Job(qx, xScales, rows, w, y);
            int items = (w.OutFeatures + OutputsPerItem - 1) / OutputsPerItem;
            pool.For(items, ref job, (long)rows * k * w.OutFeatures);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(xScales);
            ArrayPool<short>.Shared.Return(qx);
        }
    }

    /// <summary>q = round(x · 127 / max|x|) (half to even), returns the scale max|x| / 127 (0 for a zero row).</summary>
    public static float Quantize(ReadOnlySpan<float> x, Span<short> q)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref short qs = ref MemoryMarshal.GetReference(q);
        int n = x.Length, i = 0;
        float max = 0f;
        if (Simd.IsAccelerated)
        {
            Vector256<float> m = Vector256<float>.Zero;
            for (; i <= n - Simd.Width; i += Simd.Width)
                m = Vector256.Max(m, Vector256.Abs(Vector256.LoadUnsafe(ref xs, (nuint)i)));
            for (int lane = 0; lane < Simd.Width; lane++)
                max = MathF.Max(max, m.GetElement(lane));
        }
        for (; i < n; i++)
            max = MathF.Max(max, MathF.Abs(Unsafe.Add(ref xs, i)));
        float inverse = max > 0f ? 127f / max : 0f;
        i = 0;
        if (Simd.IsAccelerated)
        {
            Vector256<float> s = Vector256.Create(inverse);
            for (; i <= n - 2 * Simd.Width; i += 2 * Simd.Width)
            {
                Vector256<int> lo = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref xs, (nuint)i) * s));
                Vector256<int> hi = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref xs, (nuint)(i + Simd.Width)) * s));
                Vector256.Narrow(lo, hi).StoreUnsafe(ref qs, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref qs, i) = (short)MathF.Round(Unsafe.Add(ref xs, i) * inverse);
        return max / 127f;
    }

    private readonly struct Job(short[] qx, float[] xScales, int rows, PackedLinear w, float[] y) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            int k = w.InFeatures, n = w.OutFeatures;
            for (int item = begin; item < end; item++)
            {
                int o0 = item * OutputsPerItem, o1 = Math.Min(o0 + OutputsPerItem, n);
                int r = 0;
                if (Avx2.IsSupported)
                {
                    for (; r + 4 <= rows; r += 4)
                    {
                        int o = o0;
                        for (; o + 2 <= o1; o += 2)
                            Dot4x2(r, o, k, n);
                        for (; o < o1; o++)
                        {
                            for (int rr = r; rr < r + 4; rr++)
                                Store(rr, o, Dot(qx, rr, w.QuantizedWeight, o, k), n);
                        }
                    }
                }
                for (; r < rows; r++)
                {
                    int o = o0;
                    if (Avx2.IsSupported)
                    {
                        for (; o + 8 <= o1; o += 8)
                            Dot1x8(r, o, k, n);
                        for (; o + 4 <= o1; o += 4)
                            Dot1x4(r, o, k, n);
                    }
                    for (; o < o1; o++)
                        Store(r, o, Dot(qx, r, w.QuantizedWeight, o, k), n);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Store(int r, int o, int sum, int n) =>
            y[r * n + o] = Simd.MultiplyAdd(sum, xScales[r] * w.Scales[o], w.Bias is null ? 0f : w.Bias[o]);

        private void Dot1x4(int r, int o, int k, int n)
        {
            ref short xr = ref qx[r * k];
            ref sbyte w0 = ref w.QuantizedWeight[o * k];
            ref sbyte w1 = ref Unsafe.Add(ref w0, k);
            ref sbyte w2 = ref Unsafe.Add(ref w1, k);
            ref sbyte w3 = ref Unsafe.Add(ref w2, k);
            Vector256<int> a0 = Vector256<int>.Zero, a1 = a0, a2 = a0, a3 = a0;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                Vector256<short> xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
                a0 += Avx2.MultiplyAddAdjacent(Widen(ref w0, i), xv);
                a1 += Avx2.MultiplyAddAdjacent(Widen(ref w1, i), xv);
                a2 += Avx2.MultiplyAddAdjacent(Widen(ref w2, i), xv);
                a3 += Avx2.MultiplyAddAdjacent(Widen(ref w3, i), xv);
            }
            Store(r, o, Finish(a0, ref w0, ref xr, i, k), n);
            Store(r, o + 1, Finish(a1, ref w1, ref xr, i, k), n);
            Store(r, o + 2, Finish(a2, ref w2, ref xr, i, k), n);
            Store(r, o + 3, Finish(a3, ref w3, ref xr, i, k), n);
        }

        /// <summary>
        /// One activation row against eight weight rows: eight independent streams through memory, which a single-row
        /// product (a FlowLM step) needs to keep enough loads in flight to run at the memory's speed.
        /// </summary>
        private void Dot1x8(int r, int o, int k, int n)
        {
            ref short xr = ref qx[r * k];
            ref sbyte w0 = ref w.QuantizedWeight[o * k];
            Vector256<int> a0 = Vector256<int>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                Vector256<short> xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
                a0 += Avx2.MultiplyAddAdjacent(Widen(ref w0, i), xv);
                a1 += Avx2.MultiplyAddAdjacent(Widen(ref w0, k + i), xv);
                a2 += Avx2.MultiplyAddAdjacent(Widen(ref w0, 2 * k + i), xv);
                a3 += Avx2.MultiplyAddAdjacent(Widen(ref w0, 3 * k + i), xv);
                a4 += Avx2.MultiplyAddAdjacent(Widen(ref w0, 4 * k + i), xv);
                a5 += Avx2.MultiplyAddAdjacent(Widen(ref w0, 5 * k + i), xv);
                a6 += Avx2.MultiplyAddAdjacent(Widen(ref w0, 6 * k + i), xv);
                a7 += Avx2.MultiplyAddAdjacent(Widen(ref w0, 7 * k + i), xv);
            }
            Store(r, o, Finish(a0, ref w0, ref xr, i, k), n);
            Store(r, o + 1, Finish(a1, ref Unsafe.Add(ref w0, k), ref xr, i, k), n);
            Store(r, o + 2, Finish(a2, ref Unsafe.Add(ref w0, 2 * k), ref xr, i, k), n);
            Store(r, o + 3, Finish(a3, ref Unsafe.Add(ref w0, 3 * k), ref xr, i, k), n);
            Store(r, o + 4, Finish(a4, ref Unsafe.Add(ref w0, 4 * k), ref xr, i, k), n);
            Store(r, o + 5, Finish(a5, ref Unsafe.Add(ref w0, 5 * k), ref xr, i, k), n);
            Store(r, o + 6, Finish(a6, ref Unsafe.Add(ref w0, 6 * k), ref xr, i, k), n);
            Store(r, o + 7, Finish(a7, ref Unsafe.Add(ref w0, 7 * k), ref xr, i, k), n);
        }

        private void Dot4x2(int r, int o, int k, int n)
        {
            ref short x0 = ref qx[r * k];
            ref short x1 = ref Unsafe.Add(ref x0, k);
            ref short x2 = ref Unsafe.Add(ref x1, k);
            ref short x3 = ref Unsafe.Add(ref x2, k);
            ref sbyte w0 = ref w.QuantizedWeight[o * k];
            ref sbyte w1 = ref Unsafe.Add(ref w0, k);
            Vector256<int> a00 = Vector256<int>.Zero, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                Vector256<short> v0 = Widen(ref w0, i), v1 = Widen(ref w1, i);
                Vector256<short> u = Vector256.LoadUnsafe(ref x0, (nuint)i);
                a00 += Avx2.MultiplyAddAdjacent(v0, u);
                a01 += Avx2.MultiplyAddAdjacent(v1, u);
                u = Vector256.LoadUnsafe(ref x1, (nuint)i);
                a10 += Avx2.MultiplyAddAdjacent(v0, u);
                a11 += Avx2.MultiplyAddAdjacent(v1, u);
                u = Vector256.LoadUnsafe(ref x2, (nuint)i);
                a20 += Avx2.MultiplyAddAdjacent(v0, u);
                a21 += Avx2.MultiplyAddAdjacent(v1, u);
                u = Vector256.LoadUnsafe(ref x3, (nuint)i);
                a30 += Avx2.MultiplyAddAdjacent(v0, u);
                a31 += Avx2.MultiplyAddAdjacent(v1, u);
            }
            Store(r, o, Finish(a00, ref w0, ref x0, i, k), n);
            Store(r, o + 1, Finish(a01, ref w1, ref x0, i, k), n);
            Store(r + 1, o, Finish(a10, ref w0, ref x1, i, k), n);
            Store(r + 1, o + 1, Finish(a11, ref w1, ref x1, i, k), n);
            Store(r + 2, o, Finish(a20, ref w0, ref x2, i, k), n);
            Store(r + 2, o + 1, Finish(a21, ref w1, ref x2, i, k), n);
            Store(r + 3, o, Finish(a30, ref w0, ref x3, i, k), n);
            Store(r + 3, o + 1, Finish(a31, ref w1, ref x3, i, k), n);
        }
    }

    /// <summary>Σ q[o, i]·qx[r, i] over the row, exactly.</summary>
    private static int Dot(short[] qx, int r, sbyte[] w, int o, int k)
    {
        ref short xr = ref qx[r * k];
        ref sbyte wo = ref w[o * k];
        Vector256<int> acc = Vector256<int>.Zero;
        int i = 0;
        if (Avx2.IsSupported)
        {
            for (; i <= k - Step; i += Step)
                acc += Avx2.MultiplyAddAdjacent(Widen(ref wo, i), Vector256.LoadUnsafe(ref xr, (nuint)i));
        }
        return Finish(acc, ref wo, ref xr, i, k);
    }

    /// <summary>16 int8 weights sign-extended to int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen(ref sbyte w, int i) => Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, (nuint)i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Finish(Vector256<int> acc, ref sbyte w, ref short x, int start, int k)
    {
        int sum = Vector256.Sum(acc);
        for (int i = start; i < k; i++)
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        return sum;
    }
}
