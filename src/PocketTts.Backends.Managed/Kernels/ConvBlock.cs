using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// The micro-kernel of both convolutions: <see cref="Rows"/> output rows over a run of time, vectorised over
/// time (signals are [channels, time], so time is contiguous), with the weights of a block packed
/// [channel][tap][row] so each (channel, tap) step broadcasts four consecutive floats against one to three input
/// vectors. One tile body, generic over the vector width (<see cref="ILanes{TVector}"/>), serves 512-, 256-,
/// 128-bit and scalar code.
/// </summary>
/// <remarks>
/// <para><code>
/// dst[r, t] = init[r] + Σ_c Σ_k w[c, k, r] · src[offsets[c·taps + k] + t]
/// offsets[c·taps + k] = c·channelStride + phase[k]·phaseStride + shift[k]          (StepOffsets)
/// </code></para>
/// <para>Every output is one chain of multiply-adds over (c, k) in that order, whichever tile, vector width or
/// thread computed it, so results do not depend on the signal length, the thread count or the width: the 128-bit
/// and scalar paths equal the 256-bit one bit for bit.</para>
/// <para>A signal is cut into tiles of three vectors (12 accumulators: the most that fit the 16 vector registers
/// of AVX2 beside three input vectors and a broadcast weight, and enough independent chains to keep both FMA
/// pipes busy), then two, then one; the last samples take one more one-vector tile ending at the last sample,
/// which recomputes a few outputs with the same arithmetic and stores the same values again. What is shorter
/// than a vector takes the same tiles one float wide. Where 512-bit vectors run in hardware (AVX-512) the body
/// first takes tiles of two 512-bit vectors (32 samples): on cores that execute 512-bit operations at full width
/// it nearly halves the long SEANet convolutions (1920 and 480 samples a frame).</para>
/// </remarks>
internal static class ConvBlock
{
    /// <summary>Output rows per block.</summary>
    public const int Rows = 4;

    /// <summary>Input floats one span of output samples may read: 64 KB, a quarter of the smallest L2 cache in use.</summary>
    private const int SpanFloats = 16 * 1024;

    /// <summary>Span lengths are multiples of this: whole tiles of 32, 24 and 12 samples.</summary>
    private const int SpanQuantum = 96;

    /// <summary>
    /// How many output samples a caller computes for every block before moving on (all of them when the signal is
    /// short, and at least 1): a span whose input, <paramref name="inputRows"/> rows of one sample per output sample,
    /// fits in <see cref="SpanFloats"/>, and at least <see cref="SpanQuantum"/>. Spans change which tile computes an
    /// output, never its chain of multiply-adds.
    /// </summary>
    public static int SpanLength(int inputRows, int length) =>
        Math.Max(1, Math.Min(length, Math.Max(SpanQuantum, SpanFloats / inputRows / SpanQuantum * SpanQuantum)));

    /// <summary>
    /// Where each (channel, tap) step of a block reads, relative to the group's first input sample:
    /// offsets[c·taps + k] = c·channelStride + phase[k]·phaseStride + shift[k]. One table serves every block and
    /// tile of a call, so the kernel's inner loop is one run over the steps: an offset load and an add a step, no
    /// loop over the taps nested in one over the channels (1 to 3 taps in most SEANet layers).
    /// </summary>
    /// <param name="channelStride">Distance between input channels.</param>
    /// <param name="phaseStride">Distance between polyphase rows of one channel (0 with stride 1).</param>
    /// <param name="channels">Input channels of a group.</param>
    /// <param name="phase">Polyphase row of each tap.</param>
    /// <param name="shift">Offset in time of each tap.</param>
    /// <param name="offsets">channels·taps entries, written.</param>
    public static void StepOffsets(int channelStride, int phaseStride, int channels, int[] phase, int[] shift, Span<int> offsets)
    {
        int taps = phase.Length;
        for (int c = 0; c < channels; c++)
        {
            for (int k = 0; k < taps; k++)
                offsets[c * taps + k] = c * channelStride + phase[k] * phaseStride + shift[k];
        }
    }

    /// <param name="src">Input rows of the block's group.</param>
    /// <param name="offsets">Where each (channel, tap) step reads in <paramref name="src"/> (<see cref="StepOffsets"/>).</param>
    /// <param name="w">The block's weights [channels][taps][Rows], one step after the other.</param>
    /// <param name="init">Start value of each row (the bias), or empty for zero.</param>
    /// <param name="dst">Output rows, <paramref name="dstStride"/> apart.</param>
    /// <param name="dstStride">Distance between output rows.</param>
    /// <param name="rows">Rows written (the others of a padded block are computed and dropped).</param>
    /// <param name="length">Output samples per row.</param>
    public static void Run(
        ReadOnlySpan<float> src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> w, ReadOnlySpan<float> init, Span<float> dst, int dstStride, int rows, int length)
    {
        if (Vector256.IsHardwareAccelerated)
            Run<Lanes256, Vector256<float>>(src, offsets, w, init, dst, dstStride, rows, length);
        else if (Vector128.IsHardwareAccelerated)
            Run<Lanes128, Vector128<float>>(src, offsets, w, init, dst, dstStride, rows, length);
        else
            Run<Lanes32, float>(src, offsets, w, init, dst, dstStride, rows, length);
    }

    /// <summary>Runs at the width of <typeparamref name="TLanes"/> (tests compare the widths), after the 512-bit tiles where those run.</summary>
    /// <inheritdoc cref="Run(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
    public static void Run<TLanes, TVector>(
        ReadOnlySpan<float> src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> w, ReadOnlySpan<float> init, Span<float> dst, int dstStride, int rows, int length)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int steps = offsets.Length;
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float d = ref MemoryMarshal.GetReference(dst);
        ref int offset = ref MemoryMarshal.GetReference(offsets);
        Span<float> start = stackalloc float[Rows];
        start.Clear();
        init.CopyTo(start);
        ref float i = ref MemoryMarshal.GetReference(start);
        int t = 0;
        if (Vector512.IsHardwareAccelerated && TLanes.Count == Vector256<float>.Count)
        {
            for (; t <= length - 2 * Vector512<float>.Count; t += 2 * Vector512<float>.Count)
                Tile<Lanes512, Vector512<float>, Two>(ref s, ref offset, steps, ref ws, ref i, ref d, dstStride, rows, t);
        }
        t = Tiles<TLanes, TVector>(ref s, ref offset, steps, ref ws, ref i, ref d, dstStride, rows, t, length);
        Tiles<Lanes32, float>(ref s, ref offset, steps, ref ws, ref i, ref d, dstStride, rows, t, length);
    }

    /// <summary>Samples t … length − 1 in tiles of three, two and one vectors; returns where it stopped (length, or before the last vector's worth).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Tiles<TLanes, TVector>(
        ref float s, ref int offset, int steps, ref float ws, ref float init, ref float d, int dstStride, int rows, int t, int length)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int width = TLanes.Count;
        for (; t <= length - 3 * width; t += 3 * width)
            Tile<TLanes, TVector, Three>(ref s, ref offset, steps, ref ws, ref init, ref d, dstStride, rows, t);
        for (; t <= length - 2 * width; t += 2 * width)
            Tile<TLanes, TVector, Two>(ref s, ref offset, steps, ref ws, ref init, ref d, dstStride, rows, t);
        for (; t <= length - width; t += width)
            Tile<TLanes, TVector, One>(ref s, ref offset, steps, ref ws, ref init, ref d, dstStride, rows, t);
        if (t < length && length >= width)
        {
            Tile<TLanes, TVector, One>(ref s, ref offset, steps, ref ws, ref init, ref d, dstStride, rows, length - width);
            t = length;
        }
        return t;
    }

    /// <summary>
    /// <see cref="Rows"/> rows × <typeparamref name="TColumns"/> vectors of samples from t: each (channel, tap) step
    /// loads the vectors once and broadcasts each row's weight against them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TLanes, TVector, TColumns>(
        ref float s, ref int offset, int steps, ref float ws, ref float init, ref float d, int dstStride, int rows, int t)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TColumns : struct, ITileSize
    {
        nuint second = (nuint)TLanes.Count, third = 2 * second;
        TVector i0 = TLanes.Broadcast(init), i1 = TLanes.Broadcast(Unsafe.Add(ref init, 1));
        TVector i2 = TLanes.Broadcast(Unsafe.Add(ref init, 2)), i3 = TLanes.Broadcast(Unsafe.Add(ref init, 3));
        TVector a00 = i0, a01 = i0, a02 = i0, a10 = i1, a11 = i1, a12 = i1;
        TVector a20 = i2, a21 = i2, a22 = i2, a30 = i3, a31 = i3, a32 = i3;
        ref float wk = ref ws;
        ref float st = ref Unsafe.Add(ref s, t);
        for (int step = 0; step < steps; step++)
        {
            ref float x = ref Unsafe.Add(ref st, Unsafe.Add(ref offset, step));
            TVector x0 = TLanes.Load(ref x, 0);
            TVector x1 = TColumns.Value > 1 ? TLanes.Load(ref x, second) : default;
            TVector x2 = TColumns.Value > 2 ? TLanes.Load(ref x, third) : default;
            TVector v = TLanes.Broadcast(wk);
            a00 = TLanes.MultiplyAdd(v, x0, a00);
            if (TColumns.Value > 1)
                a01 = TLanes.MultiplyAdd(v, x1, a01);
            if (TColumns.Value > 2)
                a02 = TLanes.MultiplyAdd(v, x2, a02);
            v = TLanes.Broadcast(Unsafe.Add(ref wk, 1));
            a10 = TLanes.MultiplyAdd(v, x0, a10);
            if (TColumns.Value > 1)
                a11 = TLanes.MultiplyAdd(v, x1, a11);
            if (TColumns.Value > 2)
                a12 = TLanes.MultiplyAdd(v, x2, a12);
            v = TLanes.Broadcast(Unsafe.Add(ref wk, 2));
            a20 = TLanes.MultiplyAdd(v, x0, a20);
            if (TColumns.Value > 1)
                a21 = TLanes.MultiplyAdd(v, x1, a21);
            if (TColumns.Value > 2)
                a22 = TLanes.MultiplyAdd(v, x2, a22);
            v = TLanes.Broadcast(Unsafe.Add(ref wk, 3));
            a30 = TLanes.MultiplyAdd(v, x0, a30);
            if (TColumns.Value > 1)
                a31 = TLanes.MultiplyAdd(v, x1, a31);
            if (TColumns.Value > 2)
                a32 = TLanes.MultiplyAdd(v, x2, a32);
            wk = ref Unsafe.Add(ref wk, Rows);
        }
        Store<TLanes, TVector>(ref Unsafe.Add(ref d, t), dstStride, rows, a00, a10, a20, a30);
        if (TColumns.Value > 1)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, t), dstStride, rows, a01, a11, a21, a31, second);
        if (TColumns.Value > 2)
            Store<TLanes, TVector>(ref Unsafe.Add(ref d, t), dstStride, rows, a02, a12, a22, a32, third);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TLanes, TVector>(ref float d, int stride, int rows, TVector a0, TVector a1, TVector a2, TVector a3, nuint offset = 0)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        TLanes.Store(a0, ref d, offset);
        if (rows > 1)
            TLanes.Store(a1, ref d, (nuint)stride + offset);
        if (rows > 2)
            TLanes.Store(a2, ref d, (nuint)(2 * stride) + offset);
        if (rows > 3)
            TLanes.Store(a3, ref d, (nuint)(3 * stride) + offset);
    }
}
