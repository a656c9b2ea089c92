using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// nn.ConvTranspose1d, full output with the bias: x [InChannels, T] → y [OutChannels, (T − 1)·Stride + K], with
/// stride and groups (depthwise upsampling included), computed as one ordinary convolution per output phase.
/// </summary>
/// <remarks>
/// <para>Output sample t·S + p (phase p &lt; S) receives the taps k = p + i·S, tap k of input sample t − i:
/// <code>
/// y[o, t·S + p] = b[o] + Σ_c Σ_i W[c, o, p + i·S]·x[c, t − i]          i = 0 … J−1, J = ⌈K / S⌉
///   K = 2·S (SEANet):  b[o] + Σ_c W[c, o, p + S]·x[c, t − 1] + W[c, o, p]·x[c, t]
/// </code>
/// so each row (o, p) is a J-tap convolution, with stride 1, of the input padded with J − 1 zeros on either side:
/// T + J − 1 columns. <see cref="ConvBlock"/> computes the rows into z [OutChannels·S, T + J − 1], then they are
/// interleaved, y[o, t·S + p] = z[o·S + p, t]. Every tap does useful work and nothing is added to y twice (a 1×1
/// convolution into rows (o, k) needs an overlap-add pass over y and pads K to a multiple of 4 rows).</para>
/// <para>The last column reads only x[T − 1] (its other taps fall on the padding) and is computed apart, as a
/// matrix-vector product: ConvBlock's tiles then cover T + J − 2 columns, whole 16-sample tiles for the SEANet's
/// 16, 96 and 480 samples a frame, instead of a 17th column costing one more tile. Each output is one fixed chain
/// of multiply-adds, so results do not depend on the thread count.</para>
/// <para>When every output channel reads a single input channel (Mimi's depthwise upsampling, InChannels = Groups)
/// there is nothing to sum over channels: the products are added directly, in increasing k.</para>
/// </remarks>
internal static class ConvTranspose1d
{
    public static void Run(float[] x, int length, PackedConv w, float[] y, WorkerPool pool)
    {
        if (length == 0)
            return;
        var g = w.Geometry;
        int outLength = g.TransposedOutputLength(length);
        if (w.InPerGroup == 1)
        {
            var single = new SingleInputJob(x, length, w, y, outLength);
            pool.For(g.OutChannels, ref single, (long)g.OutChannels * g.KernelSize * length);
            return;
        }
        int taps = w.TapShift.Length, padded = length + 2 * (taps - 1), columns = length + taps - 1;
        float[] xp = ArrayPool<float>.Shared.Rent(g.InChannels * padded);
        float[] z = ArrayPool<float>.Shared.Rent(g.OutChannels * g.Stride * columns);
        int[] offsets = ArrayPool<int>.Shared.Rent(w.InPerGroup * taps);
        try
        {
            ConvBlock.StepOffsets(padded, 0, w.InPerGroup, w.TapPhase, w.TapShift, offsets.AsSpan(0, w.InPerGroup * taps));
            Pad(x, g.InChannels, length, taps - 1, xp);
            var job = new PhaseJob(xp, padded, offsets, w, z, columns);
            pool.For(job.Spans * g.Groups * w.BlocksPerUnit, ref job, (long)g.OutChannels * g.Stride * w.InPerGroup * taps * columns);
            var interleave = new InterleaveJob(z, columns, g.Stride, y, outLength);
            pool.For(g.OutChannels, ref interleave, (long)g.OutChannels * outLength);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<float>.Shared.Return(z);
            ArrayPool<float>.Shared.Return(xp);
        }
    }

    /// <summary>xp[c] = zeros(pad), x[c], zeros(pad).</summary>
    private static void Pad(float[] x, int channels, int length, int pad, float[] xp)
    {
        int padded = length + 2 * pad;
        for (int c = 0; c < channels; c++)
        {
            Span<float> row = xp.AsSpan(c * padded, padded);
            row[..pad].Clear();
            x.AsSpan(c * length, length).CopyTo(row[pad..]);
            row[(pad + length)..].Clear();
        }
    }

    /// <summary>y[o, t·S + p] = z[o·S + p, t], as far as y reaches; work items are output channels.</summary>
    private readonly struct InterleaveJob(float[] z, int columns, int stride, float[] y, int outLength) : IParallelJob
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            for (int o = begin; o < end; o++)
            {
                ref float row = ref y[o * outLength];
                for (int p = 0; p < stride; p++)
                {
                    ref float phase = ref z[(o * stride + p) * columns];
                    // Samples t·S + p < outLength: at most the columns of z.
                    int count = (outLength - p + stride - 1) / stride;
                    for (int t = 0; t < count; t++)
                        Unsafe.Add(ref row, t * stride + p) = Unsafe.Add(ref phase, t);
                }
            }
        }
    }

    /// <summary>
    /// Work items are blocks of four rows (o, p) of one group over one span of columns (<see cref="ConvBlock.SpanLength"/>),
    /// span by span, so that every block of a span reads input the cache holds; the item of a block's last span also
    /// computes its last column.
    /// </summary>
    private readonly struct PhaseJob(float[] xp, int padded, int[] offsets, PackedConv w, float[] z, int columns) : IParallelJob
    {
        private readonly int _span = ConvBlock.SpanLength(w.InPerGroup, columns - 1);

        /// <summary>Spans of the columns before the last.</summary>
        public int Spans => Math.Max(1, (columns - 1 + _span - 1) / _span);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int inPerGroup = w.InPerGroup, taps = w.TapShift.Length, rowsPerGroup = w.OutPerGroup * w.Geometry.Stride;
            int blockSize = inPerGroup * taps * ConvBlock.Rows, blocks = w.Geometry.Groups * w.BlocksPerUnit;
            for (int item = begin; item < end; item++)
            {
                int unit = item % blocks, span = item / blocks, t0 = span * _span, length = Math.Min(_span, columns - 1 - t0);
                int group = unit / w.BlocksPerUnit, block = unit % w.BlocksPerUnit;
                int r0 = group * rowsPerGroup + block * ConvBlock.Rows;
                int rows = Math.Min(ConvBlock.Rows, rowsPerGroup - block * ConvBlock.Rows);
                ReadOnlySpan<float> src = xp.AsSpan(group * inPerGroup * padded);
                ReadOnlySpan<float> weights = w.Weights.AsSpan(unit * blockSize, blockSize);
                ReadOnlySpan<float> init = w.Bias is null ? default : w.Bias.AsSpan(r0, rows);
                ConvBlock.Run(src[t0..], offsets.AsSpan(0, inPerGroup * taps), weights, init, z.AsSpan(r0 * columns + t0), columns, rows, length);
                if (span == Spans - 1)
                    LastColumn(src[(columns - 1)..], padded, inPerGroup, taps, weights, init, z.AsSpan(r0 * columns + columns - 1), columns, rows);
            }
        }
    }

    /// <summary>
    /// dst[r·dstStride] = init[r] + Σ_c w[c, tap 0, r]·src[c·channelStride]: tap 0 alone, four chains over the
    /// channels (c mod 4) so that the multiply-adds do not wait for each other.
    /// </summary>
    private static void LastColumn(
        ReadOnlySpan<float> src, int channelStride, int channels, int taps, ReadOnlySpan<float> w, ReadOnlySpan<float> init,
        Span<float> dst, int dstStride, int rows)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float wc = ref MemoryMarshal.GetReference(w);
        int step = taps * ConvBlock.Rows;
        Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int c = 0;
        for (; c + 4 <= channels; c += 4)
        {
            a0 = MultiplyAdd(Vector128.LoadUnsafe(ref wc, (nuint)(c * step)), Vector128.Create(Unsafe.Add(ref s, c * channelStride)), a0);
            a1 = MultiplyAdd(Vector128.LoadUnsafe(ref wc, (nuint)((c + 1) * step)), Vector128.Create(Unsafe.Add(ref s, (c + 1) * channelStride)), a1);
            a2 = MultiplyAdd(Vector128.LoadUnsafe(ref wc, (nuint)((c + 2) * step)), Vector128.Create(Unsafe.Add(ref s, (c + 2) * channelStride)), a2);
            a3 = MultiplyAdd(Vector128.LoadUnsafe(ref wc, (nuint)((c + 3) * step)), Vector128.Create(Unsafe.Add(ref s, (c + 3) * channelStride)), a3);
        }
        for (; c < channels; c++)
            a0 = MultiplyAdd(Vector128.LoadUnsafe(ref wc, (nuint)(c * step)), Vector128.Create(Unsafe.Add(ref s, c * channelStride)), a0);
        Vector128<float> sum = (a0 + a1) + (a2 + a3);
        for (int r = 0; r < rows; r++)
            dst[r * dstStride] = init.IsEmpty ? sum[r] : init[r] + sum[r];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    private readonly struct SingleInputJob(float[] x, int length, PackedConv w, float[] y, int outLength) : IParallelJob
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int kernel = w.Geometry.KernelSize, stride = w.Geometry.Stride, taps = w.TapShift.Length;
            for (int o = begin; o < end; o++)
            {
                int group = o / w.OutPerGroup, ol = o % w.OutPerGroup;
                ReadOnlySpan<float> xc = x.AsSpan(group * length, length);
                Span<float> row = y.AsSpan(o * outLength, outLength);
                row.Fill(w.Bias is null ? 0f : w.Bias[o * stride]);
                for (int p = 0; p < stride; p++)
                {
                    // Row (o, p) of the packing holds W[o, p + i·S] as its tap J − 1 − i (one input channel per block).
                    int rl = ol * stride + p;
                    int at = ((group * w.BlocksPerUnit + rl / ConvBlock.Rows) * taps + taps - 1) * ConvBlock.Rows + rl % ConvBlock.Rows;
                    for (int k = p; k < kernel; k += stride, at -= ConvBlock.Rows)
                    {
                        float wk = w.Weights[at];
                        for (int t = 0; t < length; t++)
                            row[t * stride + k] += wk * xc[t];
                    }
                }
            }
        }
    }
}
