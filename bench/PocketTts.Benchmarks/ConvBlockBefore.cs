using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Benchmarks;

/// <summary>
/// The convolution micro-kernel as it was before its inner loop became one run over (channel, tap) steps (issue #19),
/// kept here only so that <see cref="ConvBlockBenchmarks"/> measures before and after in the same run: a loop over
/// the taps nested in one over the channels, each tap's offset computed from the channel's row.
/// </summary>
internal static class ConvBlockBefore
{
    /// <summary>Output rows per block.</summary>
    public const int Rows = ConvBlock.Rows;

    /// <param name="src">Input rows of the block's group.</param>
    /// <param name="channelStride">Distance between input channels in <paramref name="src"/>.</param>
    /// <param name="phaseStride">Distance between polyphase rows of one channel (0 with stride 1).</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="phase">Polyphase row of each tap.</param>
    /// <param name="shift">Offset in time of each tap.</param>
    /// <param name="w">The block's weights [channels][taps][Rows].</param>
    /// <param name="init">Start value of each row (the bias), or empty for zero.</param>
    /// <param name="dst">Output rows, <paramref name="dstStride"/> apart.</param>
    /// <param name="dstStride">Distance between output rows.</param>
    /// <param name="rows">Rows written (the others of a padded block are computed and dropped).</param>
    /// <param name="length">Output samples per row.</param>
    public static void Run(
        ReadOnlySpan<float> src, int channelStride, int phaseStride, int channels, int[] phase, int[] shift,
        ReadOnlySpan<float> w, ReadOnlySpan<float> init, Span<float> dst, int dstStride, int rows, int length)
    {
        if (Vector256.IsHardwareAccelerated)
            Run<Lanes256, Vector256<float>>(src, channelStride, phaseStride, channels, phase, shift, w, init, dst, dstStride, rows, length);
        else if (Vector128.IsHardwareAccelerated)
            Run<Lanes128, Vector128<float>>(src, channelStride, phaseStride, channels, phase, shift, w, init, dst, dstStride, rows, length);
        else
            Run<Lanes32, float>(src, channelStride, phaseStride, channels, phase, shift, w, init, dst, dstStride, rows, length);
    }

    /// <summary>Runs at the width of <typeparamref name="TLanes"/> (tests compare the widths), after the 512-bit tiles where those run.</summary>
    /// <inheritdoc cref="Run(ReadOnlySpan{float}, int, int, int, int[], int[], ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
    public static void Run<TLanes, TVector>(
        ReadOnlySpan<float> src, int channelStride, int phaseStride, int channels, int[] phase, int[] shift,
        ReadOnlySpan<float> w, ReadOnlySpan<float> init, Span<float> dst, int dstStride, int rows, int length)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int taps = phase.Length;
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float d = ref MemoryMarshal.GetReference(dst);
        // Where each tap reads, relative to its channel's row: one add per step instead of two loads and a multiply.
        Span<int> offsets = stackalloc int[taps];
        for (int k = 0; k < taps; k++)
            offsets[k] = phase[k] * phaseStride + shift[k];
        ref int tapOffset = ref MemoryMarshal.GetReference(offsets);
        Span<float> start = stackalloc float[Rows];
        start.Clear();
        init.CopyTo(start);
        ref float i = ref MemoryMarshal.GetReference(start);
        int t = 0;
        if (Vector512.IsHardwareAccelerated && TLanes.Count == Vector256<float>.Count)
        {
            for (; t <= length - 2 * Vector512<float>.Count; t += 2 * Vector512<float>.Count)
                Tile<Lanes512, Vector512<float>, Two>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref i, ref d, dstStride, rows, t);
        }
        t = Tiles<TLanes, TVector>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref i, ref d, dstStride, rows, t, length);
        Tiles<Lanes32, float>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref i, ref d, dstStride, rows, t, length);
    }

    /// <summary>Samples t … length − 1 in tiles of three, two and one vectors; returns where it stopped (length, or before the last vector's worth).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Tiles<TLanes, TVector>(
        ref float s, int channelStride, int channels, ref int tapOffset, int taps, ref float ws, ref float init,
        ref float d, int dstStride, int rows, int t, int length)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int width = TLanes.Count;
        for (; t <= length - 3 * width; t += 3 * width)
            Tile<TLanes, TVector, Three>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref init, ref d, dstStride, rows, t);
        for (; t <= length - 2 * width; t += 2 * width)
            Tile<TLanes, TVector, Two>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref init, ref d, dstStride, rows, t);
        for (; t <= length - width; t += width)
            Tile<TLanes, TVector, One>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref init, ref d, dstStride, rows, t);
        if (t < length && length >= width)
        {
            Tile<TLanes, TVector, One>(ref s, channelStride, channels, ref tapOffset, taps, ref ws, ref init, ref d, dstStride, rows, length - width);
            t = length;
        }
        return t;
    }

    /// <summary>
    /// <see cref="Rows"/> rows × <typeparamref name="TColumns"/> vectors of samples from t: each (channel, tap) step
    /// loads the vectors once and broadcasts each row's weight against them.
    /// </summary>
    private static void Tile<TLanes, TVector, TColumns>(
        ref float s, int channelStride, int channels, ref int tapOffset, int taps, ref float ws, ref float init,
        ref float d, int dstStride, int rows, int t)
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
        for (int c = 0; c < channels; c++)
        {
            int channel = c * channelStride + t;
            for (int k = 0; k < taps; k++)
            {
                ref float x = ref Unsafe.Add(ref s, channel + Unsafe.Add(ref tapOffset, k));
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
