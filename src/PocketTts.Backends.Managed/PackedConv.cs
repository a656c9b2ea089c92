using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>
/// Convolution weights in the order <see cref="Kernels.ConvBlock"/> reads them: blocks of
/// <see cref="Kernels.ConvBlock.Rows"/> output rows, each block laid out [inPerGroup][taps][Rows], so one
/// (input channel, tap) step reads the weights of every row of the block from one contiguous run.
/// </summary>
/// <remarks>
/// A convolution has one block per 4 output channels of a group (the last block of a group padded with
/// zero rows). A transposed convolution is computed as a convolution of J = ⌈K / Stride⌉ taps into
/// Stride rows (phases) per output channel (see <see cref="Kernels.ConvTranspose1d"/>); it has one block per 4
/// such rows of a group.
/// </remarks>
internal sealed class PackedConv : IPackedConv
{
    private PackedConv(ConvGeometry geometry, bool isTransposed, float[] weights, float[]? bias, int blocksPerUnit, int[] tapPhase, int[] tapShift)
    {
        Geometry = geometry;
        IsTransposed = isTransposed;
        Weights = weights;
        Bias = bias;
        BlocksPerUnit = blocksPerUnit;
        TapPhase = tapPhase;
        TapShift = tapShift;
    }

    public ConvGeometry Geometry { get; }

    public bool IsTransposed { get; }

    /// <summary>The packed blocks, each [InChannels / Groups][taps][4].</summary>
    public float[] Weights { get; }

    /// <summary>The bias of each packed row: [OutChannels], or [OutChannels·Stride] for a transposed convolution (each
    /// output channel's bias repeated for its phases); null for none.</summary>
    public float[]? Bias { get; }

    /// <summary>Blocks per group.</summary>
    public int BlocksPerUnit { get; }

    /// <summary>
    /// Convolution tap k reads input sample t·Stride + k·Dilation, which lies in polyphase row
    /// <c>TapPhase[k]</c> = (k·Dilation) mod Stride at index t + <c>TapShift[k]</c> = t + ⌊k·Dilation / Stride⌋.
    /// With stride 1 the phase is 0 and the shift is k·Dilation. A transposed convolution's tap j reads the zero-padded
    /// input at t + j: phase 0, shift j.
    /// </summary>
    public int[] TapPhase { get; }

    /// <inheritdoc cref="TapPhase"/>
    public int[] TapShift { get; }

    public int InPerGroup => Geometry.InChannels / Geometry.Groups;

    public int OutPerGroup => Geometry.OutChannels / Geometry.Groups;

    /// <summary>Packs W [OutChannels, InChannels / Groups, KernelSize] for <see cref="Kernels.Conv1d"/>.</summary>
    public static PackedConv Conv(ConvGeometry g, ReadOnlySpan<float> weight, float[]? bias)
    {
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups, k = g.KernelSize;
        int blocks = (outPerGroup + Kernels.ConvBlock.Rows - 1) / Kernels.ConvBlock.Rows;
        int blockSize = inPerGroup * k * Kernels.ConvBlock.Rows;
        var packed = WeightArrays.Zeroed<float>(checked(g.Groups * blocks * blockSize));
        for (int group = 0; group < g.Groups; group++)
        {
            for (int ol = 0; ol < outPerGroup; ol++)
            {
                int o = group * outPerGroup + ol;
                int block = group * blocks + ol / Kernels.ConvBlock.Rows, row = ol % Kernels.ConvBlock.Rows;
                for (int c = 0; c < inPerGroup; c++)
                {
                    for (int tap = 0; tap < k; tap++)
                        packed[block * blockSize + (c * k + tap) * Kernels.ConvBlock.Rows + row] = weight[(o * inPerGroup + c) * k + tap];
                }
            }
        }
        var phase = new int[k];
        var shift = new int[k];
        for (int tap = 0; tap < k; tap++)
        {
            phase[tap] = tap * g.Dilation % g.Stride;
            shift[tap] = tap * g.Dilation / g.Stride;
        }
        return new PackedConv(g, isTransposed: false, packed, bias, blocks, phase, shift);
    }

    /// <summary>
    /// Packs W [InChannels, OutChannels / Groups, KernelSize] (PyTorch's layout) for <see cref="Kernels.ConvTranspose1d"/>
    /// as the polyphase convolution described there: row o·Stride + p of a group holds phase p of output channel o,
    /// and its tap j (reading the input j samples further on) is W[c, o, p + (J − 1 − j)·Stride], zero past the kernel.
    /// </summary>
    public static PackedConv Transposed(ConvGeometry g, ReadOnlySpan<float> weight, float[]? bias)
    {
        int inPerGroup = g.InChannels / g.Groups, outPerGroup = g.OutChannels / g.Groups, k = g.KernelSize, s = g.Stride;
        int taps = (k + s - 1) / s, rowsPerGroup = outPerGroup * s;
        int blocks = (rowsPerGroup + Kernels.ConvBlock.Rows - 1) / Kernels.ConvBlock.Rows;
        int blockSize = inPerGroup * taps * Kernels.ConvBlock.Rows;
        var packed = WeightArrays.Zeroed<float>(checked(g.Groups * blocks * blockSize));
        for (int group = 0; group < g.Groups; group++)
        {
            for (int rl = 0; rl < rowsPerGroup; rl++)
            {
                int ol = rl / s, p = rl % s;
                int block = group * blocks + rl / Kernels.ConvBlock.Rows, row = rl % Kernels.ConvBlock.Rows;
                for (int c = 0; c < inPerGroup; c++)
                {
                    for (int tap = 0; tap < taps; tap++)
                    {
                        int kk = p + (taps - 1 - tap) * s;
                        if (kk < k)
                            packed[block * blockSize + (c * taps + tap) * Kernels.ConvBlock.Rows + row] = weight[((group * inPerGroup + c) * outPerGroup + ol) * k + kk];
                    }
                }
            }
        }
        float[]? rowBias = null;
        if (bias is not null)
        {
            rowBias = WeightArrays.Zeroed<float>(g.OutChannels * s);
            for (int r = 0; r < rowBias.Length; r++)
                rowBias[r] = bias[r / s];
        }
        var phase = new int[taps];
        var shift = new int[taps];
        for (int tap = 0; tap < taps; tap++)
            shift[tap] = tap;
        return new PackedConv(g, isTransposed: true, packed, rowBias, blocks, phase, shift);
    }

    public void Dispose() { }
}
