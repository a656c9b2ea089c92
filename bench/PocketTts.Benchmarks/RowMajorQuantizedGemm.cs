using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Benchmarks;

/// <summary>
/// The int8 linear layer as it was before its weights came in panels (issue #19), kept here only so that
/// <see cref="QuantizedGemmBenchmarks"/> measures before and after in the same run: weights row-major [n, k], a
/// single row against eight rows of W at a time (eight streams of k bytes), a 4-row × 2-output block for many
/// rows. The 256-bit body only; the arithmetic is <see cref="QuantizedGemm"/>'s.
/// </summary>
internal static class RowMajorQuantizedGemm
{
    private const int OutputsPerItem = 8;
    private const int Step = 16;

    public static void Run(float[] x, int rows, RowMajorInt8Linear w, float[] y, WorkerPool pool)
    {
        int k = w.InFeatures;
        short[] qx = ArrayPool<short>.Shared.Rent(rows * k);
        float[] xScales = ArrayPool<float>.Shared.Rent(rows);
        try
        {
            for (int r = 0; r < rows; r++)
                xScales[r] = QuantizedGemm.Quantize<Int8Lanes256, Vector256<short>, Vector256<int>>(x.AsSpan(r * k, k), qx.AsSpan(r * k, k));
            var job = new Job(qx, xScales, rows, w, y);
            pool.For((w.OutFeatures + OutputsPerItem - 1) / OutputsPerItem, ref job, (long)rows * k * w.OutFeatures);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(xScales);
            ArrayPool<short>.Shared.Return(qx);
        }
    }

    private readonly struct Job(short[] qx, float[] xScales, int rows, RowMajorInt8Linear w, float[] y) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            int k = w.InFeatures, n = w.OutFeatures;
            for (int item = begin; item < end; item++)
            {
                int o0 = item * OutputsPerItem, o1 = Math.Min(o0 + OutputsPerItem, n);
                int r = 0;
                for (; r + 4 <= rows; r += 4)
                {
                    int o = o0;
                    for (; o + 2 <= o1; o += 2)
                        Dot4x2(r, o, k, n);
                    for (; o < o1; o++)
                    {
                        for (int rr = r; rr < r + 4; rr++)
                            Store(rr, o, Dot(ref qx[rr * k], ref w.Weight[o * k], k), n);
                    }
                }
                for (; r < rows; r++)
                {
                    int o = o0;
                    for (; o + 8 <= o1; o += 8)
                        Dot1x8(r, o, k, n);
                    for (; o < o1; o++)
                        Store(r, o, Dot(ref qx[r * k], ref w.Weight[o * k], k), n);
                }
            }
        }

        private void Store(int r, int o, int sum, int n) => y[r * n + o] = Simd.MultiplyAdd(sum, xScales[r] * w.Scales[o], 0f);

        private void Dot1x8(int r, int o, int k, int n)
        {
            ref short xr = ref qx[r * k];
            ref sbyte w0 = ref w.Weight[o * k];
            Vector256<int> a0 = default, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                Vector256<short> xv = Int8Lanes256.LoadActivations(ref xr, i);
                a0 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, i), xv, a0);
                a1 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, k + i), xv, a1);
                a2 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, 2 * k + i), xv, a2);
                a3 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, 3 * k + i), xv, a3);
                a4 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, 4 * k + i), xv, a4);
                a5 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, 5 * k + i), xv, a5);
                a6 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, 6 * k + i), xv, a6);
                a7 = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref w0, 7 * k + i), xv, a7);
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
            ref sbyte w0 = ref w.Weight[o * k];
            ref sbyte w1 = ref Unsafe.Add(ref w0, k);
            Vector256<int> a00 = default, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                Vector256<short> v0 = Int8Lanes256.LoadWeights(ref w0, i), v1 = Int8Lanes256.LoadWeights(ref w1, i);
                Vector256<short> u = Int8Lanes256.LoadActivations(ref x0, i);
                a00 = Int8Lanes256.MultiplyAdd(v0, u, a00);
                a01 = Int8Lanes256.MultiplyAdd(v1, u, a01);
                u = Int8Lanes256.LoadActivations(ref x1, i);
                a10 = Int8Lanes256.MultiplyAdd(v0, u, a10);
                a11 = Int8Lanes256.MultiplyAdd(v1, u, a11);
                u = Int8Lanes256.LoadActivations(ref x2, i);
                a20 = Int8Lanes256.MultiplyAdd(v0, u, a20);
                a21 = Int8Lanes256.MultiplyAdd(v1, u, a21);
                u = Int8Lanes256.LoadActivations(ref x3, i);
                a30 = Int8Lanes256.MultiplyAdd(v0, u, a30);
                a31 = Int8Lanes256.MultiplyAdd(v1, u, a31);
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

        private static int Dot(ref short x, ref sbyte wo, int k)
        {
            Vector256<int> acc = default;
            int i = 0;
            for (; i <= k - Step; i += Step)
                acc = Int8Lanes256.MultiplyAdd(Int8Lanes256.LoadWeights(ref wo, i), Int8Lanes256.LoadActivations(ref x, i), acc);
            return Finish(acc, ref wo, ref x, i, k);
        }

        private static int Finish(Vector256<int> acc, ref sbyte w, ref short x, int start, int k)
        {
            int sum = Vector256.Sum(acc);
            for (int i = start; i < k; i++)
                sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
            return sum;
        }
    }
}

/// <summary>Int8 weights row-major [OutFeatures, InFeatures] with a scale per output, as <see cref="RowMajorQuantizedGemm"/> reads them.</summary>
internal sealed record RowMajorInt8Linear(int InFeatures, int OutFeatures, sbyte[] Weight, float[] Scales);
