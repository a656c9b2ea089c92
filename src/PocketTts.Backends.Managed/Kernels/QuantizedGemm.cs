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
/// <para>Integer sums are exact, so the result does not depend on the summation order, the block shape, the thread
/// count or the vector width (<see cref="IInt8Lanes{TShorts, TInts}"/>: 256 bits with AVX2, 128 bits elsewhere,
/// scalar without vectors). Each step sign-extends 16 weights to int16 and multiplies them with the int16
/// activations pairwise into int32, which cannot saturate: |128·127·2| is far below 2³¹, and a sum over K stays
/// exact up to K = 2³¹ / (128·127) ≈ 132 000 features. (AVX2's u8×s8 pairs, vpmaddubsw, would need a second
/// multiply, vpmaddwd, to widen their int16 sums: on CPUs without VNNI that is as many multiplies per product as
/// here.)</para>
/// <para>The weights come in panels of <see cref="PanelWidth"/> outputs (<see cref="PackedLinear.QuantizedPanels"/>):
/// the panel's 16 weights of one block of inputs lie next to each other, so a panel is one contiguous run through
/// memory. A single-row product (a FlowLM step) is bound by reading the weights, and page-long streams through a
/// panel read them faster than eight rows of 1 KB each (see <c>Dot1x8</c>). Inputs are padded with zeros to whole
/// blocks, weights and activations alike, so no kernel has a tail.</para>
/// </remarks>
internal static class QuantizedGemm
{
    /// <summary>Outputs per panel of <see cref="PackedLinear.QuantizedPanels"/>; a panel is one item of the parallel loop.</summary>
    public const int PanelWidth = 8;

    /// <summary>Inputs per block of a panel: one step of the kernels.</summary>
    public const int BlockLength = 16;

    // The single-row kernel's streams: a page of a panel (the span a hardware prefetcher follows) holds the
    // weights of 512 inputs. Measured on Zen 3 (one core, 1024 inputs): 7.5 GB/s for eight 1 KB rows side by side,
    // 10 GB/s for one panel front to back, 13 GB/s for page-long segments with the next page asked for.
    private const int PageBytes = 4096;
    private const int SegmentInputs = PageBytes / PanelWidth;

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
        int k = w.InFeatures, stride = w.QuantizedRowLength;
        short[] qx = ArrayPool<short>.Shared.Rent(rows * stride);
        float[] xScales = ArrayPool<float>.Shared.Rent(rows);
        try
        {
            for (int r = 0; r < rows; r++)
            {
                xScales[r] = Quantize<TLanes, TShorts, TInts>(x.AsSpan(r * k, k), qx.AsSpan(r * stride, k));
                qx.AsSpan(r * stride + k, stride - k).Clear();
            }
            var job = new Job<TLanes, TShorts, TInts>(qx, xScales, rows, w, y);
            pool.For(w.QuantizedPanelCount, ref job, (long)rows * k * w.OutFeatures);
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
            for (; i <= n - BlockLength; i += BlockLength)
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

    /// <summary>
    /// Asks for the cache line at <paramref name="address"/> (x86; elsewhere nothing). The weights live on the pinned
    /// object heap (<see cref="WeightArrays"/>), so the address stays valid; past the end of the array, a prefetch
    /// is ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref sbyte address)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(Unsafe.AsPointer(ref address));
    }

    /// <summary>
    /// The panels [begin, end): 4 rows × 2 outputs at a time while 4 rows are left, then each remaining row against
    /// the whole panel. Outputs past <see cref="PackedLinear.OutFeatures"/> (zero weights) are computed with their
    /// neighbours and not stored.
    /// </summary>
    private readonly struct Job<TLanes, TShorts, TInts>(short[] qx, float[] xScales, int rows, PackedLinear w, float[] y) : IParallelJob
        where TLanes : struct, IInt8Lanes<TShorts, TInts>
        where TShorts : struct
        where TInts : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int stride = w.QuantizedRowLength;
            for (int panel = begin; panel < end; panel++)
            {
                int o0 = panel * PanelWidth, outputs = Math.Min(PanelWidth, w.OutFeatures - o0);
                ref sbyte weights = ref w.QuantizedPanels[panel * PanelWidth * stride];
                int r = 0;
                if (TLanes.IsAccelerated)
                {
                    for (; r + 4 <= rows; r += 4)
                    {
                        for (int p = 0; p < outputs; p += 2)
                            Dot4x2(r, o0, p, outputs, ref weights);
                    }
                    for (; r < rows; r++)
                        Dot1x8(r, o0, outputs, ref weights);
                }
                for (; r < rows; r++)
                {
                    for (int p = 0; p < outputs; p++)
                        Store(r, o0 + p, Dot(ref qx[r * stride], ref weights, p, stride));
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Store(int r, int o, int sum) =>
            y[r * w.OutFeatures + o] = Simd.MultiplyAdd(sum, xScales[r] * w.Scales[o], w.Bias is null ? 0f : w.Bias[o]);

        /// <summary>
        /// One activation row against the panel's eight outputs. The panel is walked as page-long segments side by
        /// side (a block from each segment in turn), each a stream that the hardware prefetcher follows within its
        /// page, and the weights a page ahead are asked for in software.
        /// </summary>
        private void Dot1x8(int r, int o0, int outputs, ref sbyte weights)
        {
            int stride = w.QuantizedRowLength;
            ref short xr = ref qx[r * stride];
            TInts a0 = default, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int i = 0; i < SegmentInputs && i < stride; i += BlockLength)
            {
                for (int at = i; at < stride; at += SegmentInputs)
                {
                    ref sbyte block = ref Unsafe.Add(ref weights, at * PanelWidth);
                    Prefetch(ref Unsafe.Add(ref block, PageBytes));
                    Prefetch(ref Unsafe.Add(ref block, PageBytes + 64));
                    TShorts xv = TLanes.LoadActivations(ref xr, at);
                    a0 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 0), xv, a0);
                    a1 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, BlockLength), xv, a1);
                    a2 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 2 * BlockLength), xv, a2);
                    a3 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 3 * BlockLength), xv, a3);
                    a4 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 4 * BlockLength), xv, a4);
                    a5 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 5 * BlockLength), xv, a5);
                    a6 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 6 * BlockLength), xv, a6);
                    a7 = TLanes.MultiplyAdd(TLanes.LoadWeights(ref block, 7 * BlockLength), xv, a7);
                }
            }
            Span<int> sums = [TLanes.Sum(a0), TLanes.Sum(a1), TLanes.Sum(a2), TLanes.Sum(a3), TLanes.Sum(a4), TLanes.Sum(a5), TLanes.Sum(a6), TLanes.Sum(a7)];
            for (int p = 0; p < outputs; p++)
                Store(r, o0 + p, sums[p]);
        }

        /// <summary>Rows r to r + 3 against the panel's outputs p and p + 1 (the second not stored past the panel's outputs).</summary>
        private void Dot4x2(int r, int o0, int p, int outputs, ref sbyte weights)
        {
            int stride = w.QuantizedRowLength;
            ref short x0 = ref qx[r * stride];
            ref short x1 = ref Unsafe.Add(ref x0, stride);
            ref short x2 = ref Unsafe.Add(ref x1, stride);
            ref short x3 = ref Unsafe.Add(ref x2, stride);
            ref sbyte block = ref Unsafe.Add(ref weights, p * BlockLength);
            TInts a00 = default, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            for (int i = 0; i < stride; i += BlockLength)
            {
                TShorts v0 = TLanes.LoadWeights(ref block, 0), v1 = TLanes.LoadWeights(ref block, BlockLength);
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
                block = ref Unsafe.Add(ref block, PanelWidth * BlockLength);
            }
            int o = o0 + p;
            Store(r, o, TLanes.Sum(a00));
            Store(r + 1, o, TLanes.Sum(a10));
            Store(r + 2, o, TLanes.Sum(a20));
            Store(r + 3, o, TLanes.Sum(a30));
            if (p + 1 < outputs)
            {
                Store(r, o + 1, TLanes.Sum(a01));
                Store(r + 1, o + 1, TLanes.Sum(a11));
                Store(r + 2, o + 1, TLanes.Sum(a21));
                Store(r + 3, o + 1, TLanes.Sum(a31));
            }
        }
    }

    /// <summary>Σ q[o, i]·qx[i] over the padded row, for output p of the panel at <paramref name="weights"/>: the scalar path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Dot(ref short x, ref sbyte weights, int p, int stride)
    {
        int sum = 0;
        ref sbyte block = ref Unsafe.Add(ref weights, p * BlockLength);
        for (int i = 0; i < stride; i += BlockLength)
        {
            for (int j = 0; j < BlockLength; j++)
                sum += Unsafe.Add(ref block, j) * Unsafe.Add(ref x, i + j);
            block = ref Unsafe.Add(ref block, PanelWidth * BlockLength);
        }
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
