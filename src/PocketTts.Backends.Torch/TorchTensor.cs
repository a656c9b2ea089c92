using PocketTts.Tensors;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>A dense float32 LibTorch tensor on the backend's device, contiguous, with the dimensions of its shape.</summary>
internal sealed class TorchTensor(torch.Tensor value, TensorShape shape) : ITensor
{
    public TensorShape Shape { get; } = shape;

    /// <summary>The LibTorch tensor; operations write into it in place, so it is never replaced.</summary>
    public torch.Tensor Value { get; } = value;

    public void Dispose() => Value.Dispose();
}
