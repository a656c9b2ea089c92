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
/// Integer sums are exact, so the result does not depend on the summation order, the block shape, the thread
/// count or the vector width (<see cref="IInt8Lanes{TShorts, TInts}"/>: 256 bits with AVX2, 128 bits elsewhere,
/// scalar without vectors). Each step sign-extends 16 weights to int16 and multiplies them with the int16
/// activations pairwise into int32, which cannot saturate: |127·127·2| is far below 2³¹, and a sum over K stays
/// exact up to K = 2³¹ / 127² ≈ 133 000 features.
/// </remarks>
internal static class QuantizedGemm
{
    private const int OutputsPerItem = 8;
    private const int Step = 16;

    /// <summary>Runs at 256 bits with AVX2, else at 128 bits (scalar where those are not accelerated either).</summary>
    public static void Run(float[] x, int rows, PackedLinear w, float[] y, WorkerPool pool)
    {
        if (Int8Lanes256.IsAccelerated)
            Run<Int8Lanes256, Vector256<short>, Vector256<int>>(x, rows, w, y, pool);
        else
            Run<Int8Lanes128, Int8Lanes128.Shorts, Vector128<int>>(x, rows, w, y, pool);
    }

    /// <summary>Runs at the width of <typeparamref name="TLanes"/>, scalar where it is not accelerated (tests compare the widths).</summary>
    public static void Run<TLanes, TShorts, TInts>(float[] x, int rows, PackedLinear w, float[] y, WorkerPool pool)
        where TLanes : struct, IInt8Lanes<TShorts, TInts>
        where TShorts : struct
        where TInts : struct
    {
        int k = w.InFeatures;
        short[] qx = ArrayPool<short>.Shared.Rent(rows * k);
        float[] xScales = ArrayPool<float>.Shared.Rent(rows);
        try
        {
            for (int r = 0; r < rows; r++)
                xScales[r] = Quantize<TLanes, TShorts, TInts>(x.AsSpan(r * k, k), qx.AsSpan(r * k, k));
            var job = new Job<TLanes, TShorts, TInts>(qx, xScales, rows, w, y);
            int items = (w.OutFeatures + OutputsPerItem - 1) / OutputsPerItem;
            pool.For(items, ref job, (long)rows * k * w.OutFeatures);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(xScales);
            ArrayPool<short>.Shared.Return(qx);
        }
    }

    /// <summary>
    /// q = round(x · 127 / max|x|) (half to even), returns the scale max|x| / 127 (0 for a zero row); with vectors of
    /// <typeparamref name="TLanes"/> where accelerated, the same values at every width.
    /// </summary>
    public static float Quantize<TLanes, TShorts, TInts>(ReadOnlySpan<float> x, Span<short> q)
        where TLanes : struct, IInt8Lanes<TShorts, TInts>
        where TShorts : struct
        where TInts : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref short qs = ref MemoryMarshal.GetReference(q);
        int n = x.Length, i = 0;
        float max = TLanes.IsAccelerated ? TLanes.MaxMagnitude(x) : MaxMagnitudeTail(x, 0, 0f);
        float inverse = max > 0f ? 127f / max : 0f;
        if (TLanes.IsAccelerated)
        {
            for (; i <= n - Step; i += Step)
                TLanes.StoreRounded(ref xs, i, inverse, ref qs);
        }
        for (; i < n; i++)
            Unsafe.Add(ref qs, i) = (short)MathF.Round(Unsafe.Add(ref xs, i) * inverse);
        return max / 127f;
    }

    /// <summary>max |x[i]|, with vectors of <typeparamref name="TLanes"/>, then the scalar tail.</summary>
    internal static float MaxMagnitude<TLanes, TVector>(ReadOnlySpan<float> x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length, width = TLanes.Count;
        TVector m = TLanes.Broadcast(0f);
        for (; i <= n - width; i += width)
            m = TLanes.Max(m, TLanes.Abs(TLanes.Load(ref xs, (nuint)i)));
        Span<float> lanes = stackalloc float[width];
        TLanes.Store(m, ref MemoryMarshal.GetReference(lanes), 0);
        float max = 0f;
        foreach (float lane in lanes)
            max = MathF.Max(max, lane);
        return MaxMagnitudeTail(x, i, max);
    }

    private static float MaxMagnitudeTail(ReadOnlySpan<float> x, int start, float max)
    {
        for (int i = start; i < x.Length; i++)
            max = MathF.Max(max, MathF.Abs(x[i]));
        return max;
    }

    private readonly struct Job<TLanes, TShorts, TInts>(short[] qx, float[] xScales, int rows, PackedLinear w, float[] y) : IParallelJob
        where TLanes : struct, IInt8Lanes<TShorts, TInts>
        where TShorts : struct
        where TInts : struct
    {
        public void Run(int begin, int end)
        {
            int k = w.InFeatures, n = w.OutFeatures;
            for (int item = begin; item < end; item++)
            {
                int o0 = item * OutputsPerItem, o1 = Math.Min(o0 + OutputsPerItem, n);
                int r = 0;
                if (TLanes.IsAccelerated)
                {
                    for (; r + 4 <= rows; r += 4)
                    {
                        int o = o0;
                        for (; o + 2 <= o1; o += 2)
                            Dot4x2(r, o, k, n);
                        for (; o < o1; o++)
                        {
                            for (int rr = r; rr < r + 4; rr++)
                                Store(rr, o, Dot<TLanes, TShorts, TInts>(qx, rr, w.QuantizedWeight, o, k), n);
                        }
                    }
                }
                for (; r < rows; r++)
                {
                    int o = o0;
                    if (TLanes.IsAccelerated)
                    {
                        for (; o + 8 <= o1; o += 8)
                            Dot1x8(r, o, k, n);
                        for (; o + 4 <= o1; o += 4)
                            Dot1x4(r, o, k, n);
                    }
                    for (; o < o1; o++)
                        Store(r, o, Dot<TLanes, TShorts, TInts>(qx, r, w.QuantizedWeight, o, k), n);
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
            TInts a0 = default, a1 = a0, a2 = a0, a3 = a0;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                TShorts xv = TLanes.LoadActivations(ref xr, i);
                a0 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, i), xv, a0);
                a1 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w1, i), xv, a1);
                a2 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w2, i), xv, a2);
                a3 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w3, i), xv, a3);
            }
            Store(r, o, Finish<TLanes, TShorts, TInts>(a0, ref w0, ref xr, i, k), n);
            Store(r, o + 1, Finish<TLanes, TShorts, TInts>(a1, ref w1, ref xr, i, k), n);
            Store(r, o + 2, Finish<TLanes, TShorts, TInts>(a2, ref w2, ref xr, i, k), n);
            Store(r, o + 3, Finish<TLanes, TShorts, TInts>(a3, ref w3, ref xr, i, k), n);
        }

        /// <summary>
        /// One activation row against eight weight rows: eight independent streams through memory, which a single-row
        /// product (a FlowLM step) needs to keep enough loads in flight to run at the memory's speed.
        /// </summary>
        private void Dot1x8(int r, int o, int k, int n)
        {
            ref short xr = ref qx[r * k];
            ref sbyte w0 = ref w.QuantizedWeight[o * k];
            TInts a0 = default, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                TShorts xv = TLanes.LoadActivations(ref xr, i);
                a0 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, i), xv, a0);
                a1 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, k + i), xv, a1);
                a2 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, 2 * k + i), xv, a2);
                a3 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, 3 * k + i), xv, a3);
                a4 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, 4 * k + i), xv, a4);
                a5 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, 5 * k + i), xv, a5);
                a6 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, 6 * k + i), xv, a6);
                a7 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref w0, 7 * k + i), xv, a7);
            }
            Store(r, o, Finish<TLanes, TShorts, TInts>(a0, ref w0, ref xr, i, k), n);
            Store(r, o + 1, Finish<TLanes, TShorts, TInts>(a1, ref Unsafe.Add(ref w0, k), ref xr, i, k), n);
            Store(r, o + 2, Finish<TLanes, TShorts, TInts>(a2, ref Unsafe.Add(ref w0, 2 * k), ref xr, i, k), n);
            Store(r, o + 3, Finish<TLanes, TShorts, TInts>(a3, ref Unsafe.Add(ref w0, 3 * k), ref xr, i, k), n);
            Store(r, o + 4, Finish<TLanes, TShorts, TInts>(a4, ref Unsafe.Add(ref w0, 4 * k), ref xr, i, k), n);
            Store(r, o + 5, Finish<TLanes, TShorts, TInts>(a5, ref Unsafe.Add(ref w0, 5 * k), ref xr, i, k), n);
            Store(r, o + 6, Finish<TLanes, TShorts, TInts>(a6, ref Unsafe.Add(ref w0, 6 * k), ref xr, i, k), n);
            Store(r, o + 7, Finish<TLanes, TShorts, TInts>(a7, ref Unsafe.Add(ref w0, 7 * k), ref xr, i, k), n);
        }

        private void Dot4x2(int r, int o, int k, int n)
        {
            ref short x0 = ref qx[r * k];
            ref short x1 = ref Unsafe.Add(ref x0, k);
            ref short x2 = ref Unsafe.Add(ref x1, k);
            ref short x3 = ref Unsafe.Add(ref x2, k);
            ref sbyte w0 = ref w.QuantizedWeight[o * k];
            ref sbyte w1 = ref Unsafe.Add(ref w0, k);
            TInts a00 = default, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            int i = 0;
            for (; i <= k - Step; i += Step)
            {
                TShorts v0 = TLanes.LoadWeights(ref w0, i), v1 = TLanes.LoadWeights(ref w1, i);
                TShorts u = TLanes.LoadActivations(ref x0, i);
                a00 = TLanes.MultiplyAdd(v0, u, a00);
                a01 = TLanes.MultiplyAdd(v1, u, a01);
                u = TLanes.LoadActivations(ref x1, i);
                a10 = TLanes.MultiplyAdd(v0, u, a10);
                a11 = TLanes.MultiplyAdd(v1, u, a11);
                u = TLanes.LoadActivations(ref x2, i);
                a20 = TLanes.MultiplyAdd(v0, u, a20);
                a21 = TLanes.MultiplyAdd(v1, u, a21);
                u = TLanes.LoadActivations(ref x3, i);
                a30 = TLanes.MultiplyAdd(v0, u, a30);
                a31 = TLanes.MultiplyAdd(v1, u, a31);
            }
            Store(r, o, Finish<TLanes, TShorts, TInts>(a00, ref w0, ref x0, i, k), n);
            Store(r, o + 1, Finish<TLanes, TShorts, TInts>(a01, ref w1, ref x0, i, k), n);
            Store(r + 1, o, Finish<TLanes, TShorts, TInts>(a10, ref w0, ref x1, i, k), n);
            Store(r + 1, o + 1, Finish<TLanes, TShorts, TInts>(a11, ref w1, ref x1, i, k), n);
            Store(r + 2, o, Finish<TLanes, TShorts, TInts>(a20, ref w0, ref x2, i, k), n);
            Store(r + 2, o + 1, Finish<TLanes, TShorts, TInts>(a21, ref w1, ref x2, i, k), n);
            Store(r + 3, o, Finish<TLanes, TShorts, TInts>(a30, ref w0, ref x3, i, k), n);
            Store(r + 3, o + 1, Finish<TLanes, TShorts, TInts>(a31, ref w1, ref x3, i, k), n);
        }
    }

    /// <summary>Σ q[o, i]·qx[r, i] over the row, exactly.</summary>
    private static int Dot<TLanes, TShorts, TInts>(short[] qx, int r, sbyte[] w, int o, int k)
        where TLanes : struct, IInt8Lanes<TShorts, TInts>
        where TShorts : struct
        where TInts : struct
    {
        ref short xr = ref qx[r * k];
        ref sbyte wo = ref w[o * k];
        TInts acc = default;
        int i = 0;
        if (TLanes.IsAccelerated)
        {
            for (; i <= k - Step; i += Step)
                acc = TLanes.MultiplyAdd(TLanes.LoadWeights(ref wo, i), TLanes.LoadActivations(ref xr, i), acc);
        }
        return Finish<TLanes, TShorts, TInts>(acc, ref wo, ref xr, i, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Finish<TLanes, TShorts, TInts>(TInts acc, ref sbyte w, ref short x, int start, int k)
        where TLanes : struct, IInt8Lanes<TShorts, TInts>
        where TShorts : struct
        where TInts : struct
    {
        int sum = TLanes.Sum(acc);
        for (int i = start; i < k; i++)
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        return sum;
    }
}

/// <summary>
/// Steps of <see cref="QuantizedGemm"/> at one vector width: 16 int8 weights widened to int16 against 16 int16
/// activations, their products summed pairwise into int32 lanes. Integer sums are exact, so every width gives the
/// same result.
/// </summary>
/// <typeparam name="TShorts">16 int16 values.</typeparam>
/// <typeparam name="TInts">The int32 accumulator lanes.</typeparam>
internal interface IInt8Lanes<TShorts, TInts>
    where TShorts : struct
    where TInts : struct
{
    /// <summary>Whether this width runs in hardware; where it does not, the kernel takes its scalar loops.</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>The 16 weights from w[i], sign-extended to int16.</summary>
    static abstract TShorts LoadWeights(ref sbyte w, int i);

    /// <summary>The 16 activations from x[i].</summary>
    static abstract TShorts LoadActivations(ref short x, int i);

    /// <summary>acc + the products w·x, summed pairwise into the int32 lanes.</summary>
    static abstract TInts MultiplyAdd(TShorts w, TShorts x, TInts acc);

    /// <summary>The sum of the lanes.</summary>
    static abstract int Sum(TInts acc);

    /// <summary>max |x[i]| over the span.</summary>
    static abstract float MaxMagnitude(ReadOnlySpan<float> x);

    /// <summary>q[j] = round(x[j]·scale), half to even, for the 16 activations from j = i.</summary>
    static abstract void StoreRounded(ref float x, int i, float scale, ref short q);
}

/// <summary>AVX2: vpmovsxbw widens the weights, vpmaddwd multiplies and adds adjacent pairs.</summary>
internal readonly struct Int8Lanes256 : IInt8Lanes<Vector256<short>, Vector256<int>>
{
    public static bool IsAccelerated => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> LoadWeights(ref sbyte w, int i) => Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, (nuint)i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> LoadActivations(ref short x, int i) => Vector256.LoadUnsafe(ref x, (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyAdd(Vector256<short> w, Vector256<short> x, Vector256<int> acc) => acc + Avx2.MultiplyAddAdjacent(w, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sum(Vector256<int> acc) => Vector256.Sum(acc);

    public static float MaxMagnitude(ReadOnlySpan<float> x) => QuantizedGemm.MaxMagnitude<Lanes256, Vector256<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRounded(ref float x, int i, float scale, ref short q)
    {
        Vector256<float> s = Vector256.Create(scale);
        Vector256<int> lower = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)i) * s));
        Vector256<int> upper = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref x, (nuint)(i + 8)) * s));
        Vector256.Narrow(lower, upper).StoreUnsafe(ref q, (nuint)i);
    }
}

/// <summary>
/// 128-bit vectors: SSE2's pmaddwd on x86, elsewhere (ARM64 NEON, WebAssembly) <see cref="MultiplyAddWidened"/>
/// with the portable <see cref="Vector128"/> operations.
/// </summary>
internal readonly struct Int8Lanes128 : IInt8Lanes<Int8Lanes128.Shorts, Vector128<int>>
{
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Shorts LoadWeights(ref sbyte w, int i)
    {
        (Vector128<short> lower, Vector128<short> upper) = Vector128.Widen(Vector128.LoadUnsafe(ref w, (nuint)i));
        return new Shorts(lower, upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Shorts LoadActivations(ref short x, int i) =>
        new(Vector128.LoadUnsafe(ref x, (nuint)i), Vector128.LoadUnsafe(ref x, (nuint)(i + Vector128<short>.Count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyAdd(Shorts w, Shorts x, Vector128<int> acc) =>
        acc + MultiplyAddPairs(w.Lower, x.Lower) + MultiplyAddPairs(w.Upper, x.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sum(Vector128<int> acc) => Vector128.Sum(acc);

    public static float MaxMagnitude(ReadOnlySpan<float> x) => QuantizedGemm.MaxMagnitude<Lanes128, Vector128<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRounded(ref float x, int i, float scale, ref short q)
    {
        Vector128<float> s = Vector128.Create(scale);
        Vector128<int> v0 = Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref x, (nuint)i) * s));
        Vector128<int> v1 = Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref x, (nuint)(i + 4)) * s));
        Vector128<int> v2 = Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref x, (nuint)(i + 8)) * s));
        Vector128<int> v3 = Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref x, (nuint)(i + 12)) * s));
        Vector128.Narrow(v0, v1).StoreUnsafe(ref q, (nuint)i);
        Vector128.Narrow(v2, v3).StoreUnsafe(ref q, (nuint)(i + 8));
    }

    /// <summary>Eight int16 products summed two by two into four int32 lanes: pmaddwd where SSE2 has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> MultiplyAddPairs(Vector128<short> a, Vector128<short> b) =>
        Sse2.IsSupported ? Sse2.MultiplyAddAdjacent(a, b) : MultiplyAddWidened(a, b);

    /// <summary>
    /// The portable form of <see cref="MultiplyAddPairs"/>: both operands widened to int32, lane j holds
    /// a[j]·b[j] + a[j + 4]·b[j + 4]. Other pairs than pmaddwd's, the same sum of the lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> MultiplyAddWidened(Vector128<short> a, Vector128<short> b)
    {
        (Vector128<int> a0, Vector128<int> a1) = Vector128.Widen(a);
        (Vector128<int> b0, Vector128<int> b1) = Vector128.Widen(b);
        return a0 * b0 + a1 * b1;
    }

    /// <summary>16 int16 values as two 128-bit vectors.</summary>
    internal readonly record struct Shorts(Vector128<short> Lower, Vector128<short> Upper);
}
