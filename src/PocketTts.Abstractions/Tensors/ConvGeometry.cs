namespace PocketTts.Tensors;

/// <summary>The geometry of a 1-D convolution or transposed convolution, as in <c>torch.nn.Conv1d</c>.</summary>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelSize">Kernel taps.</param>
/// <param name="Stride">Stride (≥ 1).</param>
/// <param name="Dilation">Dilation (≥ 1; transposed convolutions support 1 only).</param>
/// <param name="Groups">Groups; both channel counts must be multiples of it.</param>
public sealed record ConvGeometry(int InChannels, int OutChannels, int KernelSize, int Stride = 1, int Dilation = 1, int Groups = 1)
{
    /// <summary>The span of input samples one output sample sees: (kernel − 1)·dilation + 1.</summary>
    public int EffectiveKernelSize => (KernelSize - 1) * Dilation + 1;

    /// <summary>Output length of a convolution without padding over <paramref name="inputLength"/> samples.</summary>
    public int ConvOutputLength(int inputLength) => inputLength < EffectiveKernelSize ? 0 : (inputLength - EffectiveKernelSize) / Stride + 1;

    /// <summary>Output length of a transposed convolution over <paramref name="inputLength"/> samples.</summary>
    public int TransposedOutputLength(int inputLength) => inputLength == 0 ? 0 : (inputLength - 1) * Stride + KernelSize;

    /// <summary>Throws when the geometry is inconsistent.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public void Validate()
    {
        if (InChannels <= 0 || OutChannels <= 0 || KernelSize <= 0 || Stride <= 0 || Dilation <= 0 || Groups <= 0)
            throw new ArgumentException($"Invalid convolution geometry {this}: every field must be positive.");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentException($"Invalid convolution geometry {this}: InChannels and OutChannels must be multiples of Groups.");
    }
}
