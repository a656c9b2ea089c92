using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// nn.Conv1d without padding: x [InChannels, T] → y [OutChannels, ConvOutputLength(T)], with stride, dilation and
/// groups. Work items are blocks of four output channels of one group (<see cref="ConvBlock"/>) over a span of time.
/// </summary>
/// <remarks>
/// A strided convolution first splits each input channel into its Stride phases, so that every tap again reads a
/// contiguous run of samples:
/// <code>
/// x[c]:        x0 x1 x2 x3 x4 x5 x6 x7       (Stride 2)
/// phase 0:     x0 x2 x4 x6                    tap k reads x[t·S + k·d] = phase (k·d mod S)[t + ⌊k·d / S⌋]
/// phase 1:     x1 x3 x5 x7
/// </code>
/// </remarks>
internal static class Conv1d
{
    public static void Run(float[] x, int length, PackedConv w, float[] y, WorkerPool pool)
    {
        var g = w.Geometry;
        int outLength = g.ConvOutputLength(length);
        if (outLength == 0)
            return;
        int stride = g.Stride;
        int phaseLength = (length + stride - 1) / stride;
        float[]? phases = stride == 1 ? null : ArrayPool<float>.Shared.Rent(g.InChannels * stride * phaseLength);
        int steps = w.InPerGroup * g.KernelSize;
        int[] offsets = ArrayPool<int>.Shared.Rent(steps);
        try
        {
            if (phases is not null)
            {
                var split = new SplitJob(x, length, stride, phaseLength, phases);
                pool.For(g.InChannels, ref split, (long)g.InChannels * length);
            }
            (float[] src, int channelStride, int phaseStride) = phases is null ? (x, length, 0) : (phases, stride * phaseLength, phaseLength);
            ConvBlock.StepOffsets(channelStride, phaseStride, w.InPerGroup, w.TapPhase, w.TapShift, offsets.AsSpan(0, steps));
            var job = new Job(src, channelStride, offsets, w, y, outLength);
            pool.For(job.Count, ref job, (long)g.OutChannels * w.InPerGroup * g.KernelSize * outLength);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            if (phases is not null)
                ArrayPool<float>.Shared.Return(phases);
        }
    }

    /// <summary>phases[c, p, j] = x[c, j·stride + p], zero past the end of the signal; work items are input channels.</summary>
    private readonly struct SplitJob(float[] x, int length, int stride, int phaseLength, float[] phases) : IParallelJob
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            for (int c = begin; c < end; c++)
            {
                ref float source = ref x[c * length];
                for (int p = 0; p < stride; p++)
                {
                    Span<float> row = phases.AsSpan((c * stride + p) * phaseLength, phaseLength);
                    ref float destination = ref MemoryMarshal.GetReference(row);
                    int j = 0;
                    for (int i = p; i < length; i += stride, j++)
                        Unsafe.Add(ref destination, j) = Unsafe.Add(ref source, i);
                    row[j..].Clear();
                }
            }
        }
    }

    /// <summary>
    /// Work items are blocks of four output channels of one group over one span of output samples
    /// (<see cref="ConvBlock.SpanLength"/>), span by span: every block of a span reads the same few input samples
    /// of each channel, which stay in the cache, instead of each block streaming the whole signal. A signal shorter
    /// than a vector is one span, and its items are four blocks at once (<see cref="ShortConvBlock"/>).
    /// </summary>
    private readonly struct Job(float[] src, int channelStride, int[] offsets, PackedConv w, float[] y, int outLength) : IParallelJob
    {
        private readonly int _span = ConvBlock.SpanLength(w.InPerGroup * w.Geometry.Stride, outLength);

        private int BlocksPerItem => ShortConvBlock.Suits(_span) ? ShortConvBlock.Blocks : 1;

        private int ItemsPerGroup => (w.BlocksPerUnit + BlocksPerItem - 1) / BlocksPerItem;

        /// <summary>Work items: spans × groups × items of a group.</summary>
        public int Count => (outLength + _span - 1) / _span * w.Geometry.Groups * ItemsPerGroup;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int inPerGroup = w.InPerGroup, outPerGroup = w.OutPerGroup, perItem = BlocksPerItem;
            int blockSize = inPerGroup * w.Geometry.KernelSize * ConvBlock.Rows, perGroup = ItemsPerGroup, units = w.Geometry.Groups * perGroup;
            ReadOnlySpan<int> steps = offsets.AsSpan(0, inPerGroup * w.Geometry.KernelSize);
            for (int item = begin; item < end; item++)
            {
                int unit = item % units, t0 = item / units * _span, length = Math.Min(_span, outLength - t0);
                int group = unit / perGroup, block = unit % perGroup * perItem;
                int o = group * outPerGroup + block * ConvBlock.Rows;
                int rows = Math.Min(perItem * ConvBlock.Rows, outPerGroup - block * ConvBlock.Rows);
                ReadOnlySpan<float> input = src.AsSpan(group * inPerGroup * channelStride + t0);
                ReadOnlySpan<float> weights = w.Weights.AsSpan(
                    (group * w.BlocksPerUnit + block) * blockSize, (rows + ConvBlock.Rows - 1) / ConvBlock.Rows * blockSize);
                ReadOnlySpan<float> init = w.Bias is null ? default : w.Bias.AsSpan(o, rows);
                Span<float> dst = y.AsSpan(o * outLength + t0);
                if (perItem == 1)
                    ConvBlock.Run(input, steps, weights, init, dst, outLength, rows, length);
                else
                    ShortConvBlock.Run(input, steps, weights, init, dst, outLength, rows, length);
            }
        }
    }
}
