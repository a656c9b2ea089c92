using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// <see cref="ConvBlock"/> for spans shorter than one 256-bit vector of samples, which ConvBlock computes one float
/// wide: four blocks of <see cref="ConvBlock.Rows"/> rows at once, vectorised over the 16 rows instead of over time.
/// Mimi's encoder ends in such a convolution (512→32, kernel 32, stride 16: four outputs a chunk of audio, 2.1 M
/// multiply-adds that took as long as 30 M in the SEANet layers), and its decoder starts with a 1×1 convolution over
/// one step a frame.
/// </summary>
/// <remarks>
/// <para>A tile is 16 rows × up to 6 samples: two vectors of rows per sample, up to 12 accumulators. Each (channel,
/// tap) step loads the step's four weights of each of the four blocks (two 128-bit halves a vector, from the
/// packing ConvBlock reads) and broadcasts the input sample of each output. The outputs are stored through a small
/// scratch, transposed, to the [rows, time] layout.</para>
/// <para>Every output is ConvBlock's chain, the bias first, then the multiply-adds over (c, k) in that order, so the
/// results equal ConvBlock's bit for bit (and those of the 128-bit and scalar paths, which keep ConvBlock).</para>
/// </remarks>
internal static class ShortConvBlock
{
    /// <summary>Blocks of <see cref="ConvBlock.Rows"/> rows computed together.</summary>
    public const int Blocks = 4;

    /// <summary>Rows computed together: two 256-bit vectors.</summary>
    private const int Rows = Blocks * ConvBlock.Rows;

    /// <summary>Output samples per tile, at most.</summary>
    private const int TileSamples = 6;

    /// <summary>Whether spans of <paramref name="length"/> output samples go here: 256-bit vectors run in hardware and the span is shorter than one.</summary>
    public static bool Suits(int length) => Vector256.IsHardwareAccelerated && length > 0 && length < Vector256<float>.Count;

    /// <summary>
    /// Up to <see cref="Rows"/> rows from consecutive blocks of one group; with fewer than 13 rows (fewer than four
    /// blocks) the blocks go to <see cref="ConvBlock"/> one by one.
    /// </summary>
    /// <param name="src">Input rows of the blocks' group.</param>
    /// <param name="offsets">Where each (channel, tap) step reads in <paramref name="src"/> (<see cref="ConvBlock.StepOffsets"/>).</param>
    /// <param name="w">The blocks' weights, each [channels][taps][ConvBlock.Rows], one block after the other.</param>
    /// <param name="init">Start value of each row (the bias), or empty for zero.</param>
    /// <param name="dst">Output rows, <paramref name="dstStride"/> apart.</param>
    /// <param name="dstStride">Distance between output rows.</param>
    /// <param name="rows">Rows written (up to 16; the others of a padded block are computed and dropped).</param>
    /// <param name="length">Output samples per row (<see cref="Suits"/>).</param>
    public static void Run(
        ReadOnlySpan<float> src, ReadOnlySpan<int> offsets, ReadOnlySpan<float> w, ReadOnlySpan<float> init, Span<float> dst, int dstStride, int rows, int length)
    {
        int blockSize = offsets.Length * ConvBlock.Rows;
        if (rows <= (Blocks - 1) * ConvBlock.Rows)
        {
            for (int r = 0; r < rows; r += ConvBlock.Rows)
            {
                int blockRows = Math.Min(ConvBlock.Rows, rows - r);
                ConvBlock.Run(
                    src, offsets, w.Slice(r / ConvBlock.Rows * blockSize, blockSize), init.IsEmpty ? default : init.Slice(r, blockRows),
                    dst[(r * dstStride)..], dstStride, blockRows, length);
            }
            return;
        }
        Span<float> start = stackalloc float[Rows];
        start.Clear();
        init.CopyTo(start);
        Span<float> tile = stackalloc float[TileSamples * Rows];
        ref float s = ref MemoryMarshal.GetReference(src);
        ref int offset = ref MemoryMarshal.GetReference(offsets);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float i = ref MemoryMarshal.GetReference(start);
        ref float d = ref MemoryMarshal.GetReference(tile);
        for (int t = 0; t < length; t += TileSamples)
        {
            ref float st = ref Unsafe.Add(ref s, t);
            int samples = Math.Min(TileSamples, length - t);
            switch (samples)
            {
                case 1: Tile<One>(ref st, ref offset, offsets.Length, ref ws, blockSize, ref i, ref d); break;
                case 2: Tile<Two>(ref st, ref offset, offsets.Length, ref ws, blockSize, ref i, ref d); break;
                case 3: Tile<Three>(ref st, ref offset, offsets.Length, ref ws, blockSize, ref i, ref d); break;
                case 4: Tile<Four>(ref st, ref offset, offsets.Length, ref ws, blockSize, ref i, ref d); break;
                case 5: Tile<Five>(ref st, ref offset, offsets.Length, ref ws, blockSize, ref i, ref d); break;
                default: Tile<Six>(ref st, ref offset, offsets.Length, ref ws, blockSize, ref i, ref d); break;
            }
            // tile[j·16 + r] is row r at sample t + j.
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < samples; j++)
                    dst[r * dstStride + t + j] = tile[j * Rows + r];
            }
        }
    }

    /// <summary>
    /// tile[j·16 + r] = init[r] + Σ_step w[block r / 4][step, r mod 4]·s[offset[step] + j] for the
    /// <typeparamref name="TSamples"/> samples j, each sum one chain over the steps in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TSamples>(ref float s, ref int offset, int steps, ref float w, int blockSize, ref float init, ref float tile)
        where TSamples : struct, ITileSize
    {
        nuint second = (nuint)blockSize, third = 2 * second, fourth = 3 * second;
        Vector256<float> i0 = Vector256.LoadUnsafe(ref init), i1 = Vector256.LoadUnsafe(ref init, (nuint)Vector256<float>.Count);
        Vector256<float> a00 = i0, a01 = i1, a10 = i0, a11 = i1, a20 = i0, a21 = i1;
        Vector256<float> a30 = i0, a31 = i1, a40 = i0, a41 = i1, a50 = i0, a51 = i1;
        ref float wk = ref w;
        for (int step = 0; step < steps; step++)
        {
            ref float x = ref Unsafe.Add(ref s, Unsafe.Add(ref offset, step));
            Vector256<float> w0 = Vector256.Create(Vector128.LoadUnsafe(ref wk), Vector128.LoadUnsafe(ref wk, second));
            Vector256<float> w1 = Vector256.Create(Vector128.LoadUnsafe(ref wk, third), Vector128.LoadUnsafe(ref wk, fourth));
            Vector256<float> u = Vector256.Create(x);
            a00 = Simd.MultiplyAdd(w0, u, a00);
            a01 = Simd.MultiplyAdd(w1, u, a01);
            if (TSamples.Value > 1)
            {
                u = Vector256.Create(Unsafe.Add(ref x, 1));
                a10 = Simd.MultiplyAdd(w0, u, a10);
                a11 = Simd.MultiplyAdd(w1, u, a11);
            }
            if (TSamples.Value > 2)
            {
                u = Vector256.Create(Unsafe.Add(ref x, 2));
                a20 = Simd.MultiplyAdd(w0, u, a20);
                a21 = Simd.MultiplyAdd(w1, u, a21);
            }
            if (TSamples.Value > 3)
            {
                u = Vector256.Create(Unsafe.Add(ref x, 3));
                a30 = Simd.MultiplyAdd(w0, u, a30);
                a31 = Simd.MultiplyAdd(w1, u, a31);
            }
            if (TSamples.Value > 4)
            {
                u = Vector256.Create(Unsafe.Add(ref x, 4));
                a40 = Simd.MultiplyAdd(w0, u, a40);
                a41 = Simd.MultiplyAdd(w1, u, a41);
            }
            if (TSamples.Value > 5)
            {
                u = Vector256.Create(Unsafe.Add(ref x, 5));
                a50 = Simd.MultiplyAdd(w0, u, a50);
                a51 = Simd.MultiplyAdd(w1, u, a51);
            }
            wk = ref Unsafe.Add(ref wk, ConvBlock.Rows);
        }
        Store(ref tile, 0, a00, a01);
        if (TSamples.Value > 1)
            Store(ref tile, 1, a10, a11);
        if (TSamples.Value > 2)
            Store(ref tile, 2, a20, a21);
        if (TSamples.Value > 3)
            Store(ref tile, 3, a30, a31);
        if (TSamples.Value > 4)
            Store(ref tile, 4, a40, a41);
        if (TSamples.Value > 5)
            Store(ref tile, 5, a50, a51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float tile, int sample, Vector256<float> low, Vector256<float> high)
    {
        low.StoreUnsafe(ref tile, (nuint)(sample * Rows));
        high.StoreUnsafe(ref tile, (nuint)(sample * Rows + Vector256<float>.Count));
    }
}
