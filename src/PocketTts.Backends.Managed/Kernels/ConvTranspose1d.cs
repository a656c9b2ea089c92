using System.Buffers;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// nn.ConvTranspose1d, full output with the bias: x [InChannels, T] → y [OutChannels, (T − 1)·Stride + K], with
/// stride and groups (depthwise upsampling included). Work items are output channels.
/// </summary>
/// <remarks>
/// For output channel o, a 1×1 convolution first computes z[k, t] = Σ_c W[c, o, k]·x[c, t] for every tap (a
/// <see cref="ConvBlock"/> run over rows k), then the taps are overlap-added at their place in time:
/// <code>
/// y[o, t·S + k] += z[k, t]        t = 0 … T−1, k = 0 … K−1
///   t=0: [z00 z10 z20 z30]         (K = 4, S = 2)
///   t=1:       [z01 z11 z21 z31]
/// </code>
/// Each output is the bias plus its contributions in increasing k, a fixed order. When every output channel
/// reads a single input channel (Mimi's depthwise upsampling, InChannels = Groups) there is nothing to sum over
/// channels: the products are added directly, in the same order and with the same roundings.
/// </remarks>
internal static class ConvTranspose1d
{
    public static void Run(float[] x, int length, PackedConv w, float[] y, WorkerPool pool)
    {
        if (length == 0)
            return;
        var g = w.Geometry;
        var job = new Job(x, length, w, y);
        pool.For(g.OutChannels, ref job, (long)g.OutChannels * w.InPerGroup * g.KernelSize * length);
    }

    private readonly struct Job(float[] x, int length, PackedConv w, float[] y) : IParallelJob
    {
        public void Run(int begin, int end)
        {
            if (w.InPerGroup == 1)
                RunSingleInput(begin, end);
            else
                RunGeneral(begin, end);
        }

        private void RunSingleInput(int begin, int end)
        {
            var g = w.Geometry;
            int taps = g.KernelSize, stride = g.Stride, outLength = g.TransposedOutputLength(length);
            for (int o = begin; o < end; o++)
            {
                // Packed blocks of one input channel hold the taps of output channel o contiguously.
                ReadOnlySpan<float> wo = w.Weights.AsSpan(o * w.BlocksPerUnit * ConvBlock.Rows, taps);
                ReadOnlySpan<float> xc = x.AsSpan(o / w.OutPerGroup * length, length);
                Span<float> row = y.AsSpan(o * outLength, outLength);
                row.Fill(w.Bias is null ? 0f : w.Bias[o]);
                for (int k = 0; k < taps; k++)
                {
                    float wk = wo[k];
                    for (int t = 0; t < length; t++)
                        row[t * stride + k] += wk * xc[t];
                }
            }
        }

        private void RunGeneral(int begin, int end)
        {
            var g = w.Geometry;
            int taps = g.KernelSize, stride = g.Stride, inPerGroup = w.InPerGroup, outLength = g.TransposedOutputLength(length);
            int blockSize = inPerGroup * ConvBlock.Rows;
            float[] z = ArrayPool<float>.Shared.Rent(w.BlocksPerUnit * ConvBlock.Rows * length);
            try
            {
                for (int o = begin; o < end; o++)
                {
                    int group = o / w.OutPerGroup;
                    for (int block = 0; block < w.BlocksPerUnit; block++)
                    {
                        ConvBlock.Run(
                            x.AsSpan(group * inPerGroup * length), length, 0, inPerGroup, w.TapPhase, w.TapShift,
                            w.Weights.AsSpan((o * w.BlocksPerUnit + block) * blockSize, blockSize), default,
                            z.AsSpan(block * ConvBlock.Rows * length), length, ConvBlock.Rows, length);
                    }
                    Span<float> row = y.AsSpan(o * outLength, outLength);
                    row.Fill(w.Bias is null ? 0f : w.Bias[o]);
                    for (int k = 0; k < taps; k++)
                    {
                        ReadOnlySpan<float> zk = z.AsSpan(k * length, length);
                        for (int t = 0; t < length; t++)
                            row[t * stride + k] += zk[t];
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(z);
            }
        }
    }
}
