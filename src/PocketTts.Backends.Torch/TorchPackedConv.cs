using PocketTts.Tensors;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>
/// Convolution weights on the device in PyTorch's own layout, which LibTorch's convolutions read directly:
/// [OutChannels, InChannels / Groups, KernelSize], or [InChannels, OutChannels / Groups, KernelSize] transposed.
/// </summary>
internal sealed class TorchPackedConv(ConvGeometry geometry, bool isTransposed, torch.Tensor weight, torch.Tensor? bias) : IPackedConv
{
    public ConvGeometry Geometry { get; } = geometry;

    public bool IsTransposed { get; } = isTransposed;

    public torch.Tensor Weight { get; } = weight;

    /// <summary>[OutChannels], or null for none.</summary>
    public torch.Tensor? Bias { get; } = bias;

    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
    }
}
