using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Benchmarks;

/// <summary>
/// The convolution micro-kernel as it was before its tiles became generic over the vector width (issue #19),
/// kept here only so that <see cref="ConvBlockBenchmarks"/> measures before and after in the same run: tiles of
/// 32 (AVX-512), 24, 16 and 8 samples written with <see cref="Vector256{T}"/> and <see cref="Vector512{T}"/>, so
/// without 256-bit vectors every sample took the scalar loop.
/// </summary>
internal static class ConvBlockBefore
{
    /// <summary>Output rows per block.</summary>
    public const int Rows = ConvBlock.Rows;

    /// <summary>Floats in a 512-bit vector.</summary>
    private const int Wide = 16;

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
        int t = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> i0 = Vector512.Create(start[0]), i1 = Vector512.Create(start[1]);
            Vector512<float> i2 = Vector512.Create(start[2]), i3 = Vector512.Create(start[3]);
            for (; t <= length - 2 * Wide; t += 2 * Wide)
            {
                Vector512<float> a00 = i0, a01 = i0, a10 = i1, a11 = i1, a20 = i2, a21 = i2, a30 = i3, a31 = i3;
                ref float wk = ref ws;
                for (int c = 0; c < channels; c++)
                {
                    int channel = c * channelStride + t;
                    for (int k = 0; k < taps; k++)
                    {
                        ref float x = ref Unsafe.Add(ref s, channel + Unsafe.Add(ref tapOffset, k));
                        Vector512<float> x0 = Vector512.LoadUnsafe(ref x);
                        Vector512<float> x1 = Vector512.LoadUnsafe(ref x, Wide);
                        Vector512<float> v = Vector512.Create(wk);
                        a00 = Vector512.FusedMultiplyAdd(v, x0, a00);
                        a01 = Vector512.FusedMultiplyAdd(v, x1, a01);
                        v = Vector512.Create(Unsafe.Add(ref wk, 1));
                        a10 = Vector512.FusedMultiplyAdd(v, x0, a10);
                        a11 = Vector512.FusedMultiplyAdd(v, x1, a11);
                        v = Vector512.Create(Unsafe.Add(ref wk, 2));
                        a20 = Vector512.FusedMultiplyAdd(v, x0, a20);
                        a21 = Vector512.FusedMultiplyAdd(v, x1, a21);
                        v = Vector512.Create(Unsafe.Add(ref wk, 3));
                        a30 = Vector512.FusedMultiplyAdd(v, x0, a30);
                        a31 = Vector512.FusedMultiplyAdd(v, x1, a31);
                        wk = ref Unsafe.Add(ref wk, Rows);
                    }
                }
                Store(ref d, dstStride, t, rows, a00, a10, a20, a30);
                Store(ref d, dstStride, t + Wide, rows, a01, a11, a21, a31);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> i0 = Vector256.Create(start[0]), i1 = Vector256.Create(start[1]);
            Vector256<float> i2 = Vector256.Create(start[2]), i3 = Vector256.Create(start[3]);
            for (; t <= length - 3 * Vector256<float>.Count; t += 3 * Vector256<float>.Count)
                Tile24(ref s, channelStride, channels, ref tapOffset, taps, ref ws, i0, i1, i2, i3, ref d, dstStride, rows, t);
            for (; t <= length - 2 * Vector256<float>.Count; t += 2 * Vector256<float>.Count)
                Tile16(ref s, channelStride, channels, ref tapOffset, taps, ref ws, i0, i1, i2, i3, ref d, dstStride, rows, t);
            for (; t <= length - Vector256<float>.Count; t += Vector256<float>.Count)
                Tile8(ref s, channelStride, channels, ref tapOffset, taps, ref ws, i0, i1, i2, i3, ref d, dstStride, rows, t);
            // The last samples: one more tile ending at the last sample. It recomputes a few outputs with the same
            // arithmetic and stores the same values again.
            if (t < length && length >= Vector256<float>.Count)
            {
                Tile8(ref s, channelStride, channels, ref tapOffset, taps, ref ws, i0, i1, i2, i3, ref d, dstStride, rows, length - Vector256<float>.Count);
                t = length;
            }
        }
        for (; t < length; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                float acc = start[r];
                ref float wk = ref Unsafe.Add(ref ws, r);
                for (int c = 0; c < channels; c++)
                {
                    int channel = c * channelStride + t;
                    for (int k = 0; k < taps; k++)
                    {
                        acc = Simd.MultiplyAdd(wk, Unsafe.Add(ref s, channel + Unsafe.Add(ref tapOffset, k)), acc);
                        wk = ref Unsafe.Add(ref wk, Rows);
                    }
                }
                Unsafe.Add(ref d, r * dstStride + t) = acc;
            }
        }
    }

    /// <summary>
    /// 24 samples × 4 rows: 12 accumulators, the most that fit the 16 vector registers of AVX2 beside three input
    /// vectors and a broadcast weight. Each (channel, tap) step does 12 multiply-adds for 7 loads, and 12 independent
    /// chains cover the multiply-add latency on both FMA pipes, where the 16-sample tile's 8 chains left them idle
    /// part of the time.
    /// </summary>
    private static void Tile24(
        ref float s, int channelStride, int channels, ref int tapOffset, int taps, ref float ws,
        Vector256<float> i0, Vector256<float> i1, Vector256<float> i2, Vector256<float> i3, ref float d, int dstStride, int rows, int t)
    {
        Vector256<float> a00 = i0, a01 = i0, a02 = i0, a10 = i1, a11 = i1, a12 = i1;
        Vector256<float> a20 = i2, a21 = i2, a22 = i2, a30 = i3, a31 = i3, a32 = i3;
        ref float wk = ref ws;
        for (int c = 0; c < channels; c++)
        {
            int channel = c * channelStride + t;
            for (int k = 0; k < taps; k++)
            {
                ref float x = ref Unsafe.Add(ref s, channel + Unsafe.Add(ref tapOffset, k));
                Vector256<float> x0 = Vector256.LoadUnsafe(ref x);
                Vector256<float> x1 = Vector256.LoadUnsafe(ref x, (nuint)Vector256<float>.Count);
                Vector256<float> x2 = Vector256.LoadUnsafe(ref x, (nuint)(2 * Vector256<float>.Count));
                Vector256<float> v = Vector256.Create(wk);
                a00 = Simd.MultiplyAdd(v, x0, a00);
                a01 = Simd.MultiplyAdd(v, x1, a01);
                a02 = Simd.MultiplyAdd(v, x2, a02);
                v = Vector256.Create(Unsafe.Add(ref wk, 1));
                a10 = Simd.MultiplyAdd(v, x0, a10);
                a11 = Simd.MultiplyAdd(v, x1, a11);
                a12 = Simd.MultiplyAdd(v, x2, a12);
                v = Vector256.Create(Unsafe.Add(ref wk, 2));
                a20 = Simd.MultiplyAdd(v, x0, a20);
                a21 = Simd.MultiplyAdd(v, x1, a21);
                a22 = Simd.MultiplyAdd(v, x2, a22);
                v = Vector256.Create(Unsafe.Add(ref wk, 3));
                a30 = Simd.MultiplyAdd(v, x0, a30);
                a31 = Simd.MultiplyAdd(v, x1, a31);
                a32 = Simd.MultiplyAdd(v, x2, a32);
                wk = ref Unsafe.Add(ref wk, Rows);
            }
        }
        Store(ref d, dstStride, t, rows, a00, a10, a20, a30);
        Store(ref d, dstStride, t + Vector256<float>.Count, rows, a01, a11, a21, a31);
        Store(ref d, dstStride, t + 2 * Vector256<float>.Count, rows, a02, a12, a22, a32);
    }

    /// <summary>16 samples × 4 rows: 8 accumulators, for lengths the 24-sample tile leaves (the 16 samples of the decoder's first layers).</summary>
    private static void Tile16(
        ref float s, int channelStride, int channels, ref int tapOffset, int taps, ref float ws,
        Vector256<float> i0, Vector256<float> i1, Vector256<float> i2, Vector256<float> i3, ref float d, int dstStride, int rows, int t)
    {
        Vector256<float> a00 = i0, a01 = i0, a10 = i1, a11 = i1, a20 = i2, a21 = i2, a30 = i3, a31 = i3;
        ref float wk = ref ws;
        for (int c = 0; c < channels; c++)
        {
            int channel = c * channelStride + t;
            for (int k = 0; k < taps; k++)
            {
                ref float x = ref Unsafe.Add(ref s, channel + Unsafe.Add(ref tapOffset, k));
                Vector256<float> x0 = Vector256.LoadUnsafe(ref x);
                Vector256<float> x1 = Vector256.LoadUnsafe(ref x, (nuint)Vector256<float>.Count);
                Vector256<float> v = Vector256.Create(wk);
                a00 = Simd.MultiplyAdd(v, x0, a00);
                a01 = Simd.MultiplyAdd(v, x1, a01);
                v = Vector256.Create(Unsafe.Add(ref wk, 1));
                a10 = Simd.MultiplyAdd(v, x0, a10);
                a11 = Simd.MultiplyAdd(v, x1, a11);
                v = Vector256.Create(Unsafe.Add(ref wk, 2));
                a20 = Simd.MultiplyAdd(v, x0, a20);
                a21 = Simd.MultiplyAdd(v, x1, a21);
                v = Vector256.Create(Unsafe.Add(ref wk, 3));
                a30 = Simd.MultiplyAdd(v, x0, a30);
                a31 = Simd.MultiplyAdd(v, x1, a31);
                wk = ref Unsafe.Add(ref wk, Rows);
            }
        }
        Store(ref d, dstStride, t, rows, a00, a10, a20, a30);
        Store(ref d, dstStride, t + Vector256<float>.Count, rows, a01, a11, a21, a31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8(
        ref float s, int channelStride, int channels, ref int tapOffset, int taps, ref float ws,
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, ref float d, int dstStride, int rows, int t)
    {
        ref float wk = ref ws;
        for (int c = 0; c < channels; c++)
        {
            int channel = c * channelStride + t;
            for (int k = 0; k < taps; k++)
            {
                Vector256<float> x0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, channel + Unsafe.Add(ref tapOffset, k)));
                a0 = Simd.MultiplyAdd(Vector256.Create(wk), x0, a0);
                a1 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 1)), x0, a1);
                a2 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 2)), x0, a2);
                a3 = Simd.MultiplyAdd(Vector256.Create(Unsafe.Add(ref wk, 3)), x0, a3);
                wk = ref Unsafe.Add(ref wk, Rows);
            }
        }
        Store(ref d, dstStride, t, rows, a0, a1, a2, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float d, int stride, int t, int rows, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        a0.StoreUnsafe(ref d, (nuint)t);
        if (rows > 1)
            a1.StoreUnsafe(ref d, (nuint)(stride + t));
        if (rows > 2)
            a2.StoreUnsafe(ref d, (nuint)(2 * stride + t));
        if (rows > 3)
            a3.StoreUnsafe(ref d, (nuint)(3 * stride + t));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float d, int stride, int t, int rows, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        a0.StoreUnsafe(ref d, (nuint)t);
        if (rows > 1)
            a1.StoreUnsafe(ref d, (nuint)(stride + t));
        if (rows > 2)
            a2.StoreUnsafe(ref d, (nuint)(2 * stride + t));
        if (rows > 3)
            a3.StoreUnsafe(ref d, (nuint)(3 * stride + t));
    }
}
