using System.Buffers;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// nn.Conv1d without padding: x [InChannels, T] → y [OutChannels, ConvOutputLength(T)], with stride, dilation and
/// groups. Work items are blocks of four output channels of one group (<see cref="ConvBlock"/>).
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
        try
        {
            if (phases is not null)
                SplitPhases(x, g.InChannels, length, stride, phaseLength, phases);
            var job = stride == 1
                ? new Job(x, length, 0, w, y, outLength)
                : new Job(phases!, stride * phaseLength, phaseLength, w, y, outLength);
            pool.For(g.Groups * w.BlocksPerUnit, ref job, (long)g.OutChannels * w.InPerGroup * g.KernelSize * outLength);
        }
        finally
        {
            if (phases is not null)
                ArrayPool<float>.Shared.Return(phases);
        }
    }

    /// <summary>phases[c, p, j] = x[c, j·stride + p], zero past the end of the signal.</summary>
    private static void SplitPhases(float[] x, int channels, int length, int stride, int phaseLength, float[] phases)
    {
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < stride; p++)
            {
                Span<float> row = phases.AsSpan((c * stride + p) * phaseLength, phaseLength);
                int j = 0;
                for (int i = p; i < length; i += stride)
                    row[j++] = x[c * length + i];
                row[j..].Clear();
            }
        }
    }

    private readonly struct Job(float[] src, int channelStride, int phaseStride, PackedConv w, float[] y, int outLength) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            int inPerGroup = w.InPerGroup, outPerGroup = w.OutPerGroup, taps = w.Geometry.KernelSize;
            int blockSize = inPerGroup * taps * ConvBlock.Rows;
            for (int item = begin; item < end; item++)
            {
                int group = item / w.BlocksPerUnit, block = item % w.BlocksPerUnit;
                int o = group * outPerGroup + block * ConvBlock.Rows;
                int rows = Math.Min(ConvBlock.Rows, outPerGroup - block * ConvBlock.Rows);
                ConvBlock.Run(
                    src.AsSpan(group * inPerGroup * channelStride), channelStride, phaseStride, inPerGroup, w.TapPhase, w.TapShift,
                    w.Weights.AsSpan(item * blockSize, blockSize), w.Bias is null ? default : w.Bias.AsSpan(o, rows),
                    y.AsSpan(o * outLength), outLength, rows, outLength);
            }
        }
    }
}
