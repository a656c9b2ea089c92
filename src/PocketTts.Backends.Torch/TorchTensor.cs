using PocketTts.Tensors;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>
/// A dense float32 LibTorch tensor on the backend's device, contiguous, with the dimensions of its shape. Operations
/// write into it in place, so its storage never moves: the host address and the per-head views are made once.
/// </summary>
internal sealed unsafe class TorchTensor : ITensor
{
    private readonly float* _host;
    private HeadViews? _heads;

    public TorchTensor(torch.Tensor value, TensorShape shape)
    {
        Value = value;
        Shape = shape;
        if (value.device_type == DeviceType.CPU && shape.ElementCount > 0)
        {
            fixed (byte* data = value.bytes)
                _host = (float*)data;
        }
    }

    public TensorShape Shape { get; }

    /// <summary>The LibTorch tensor.</summary>
    public torch.Tensor Value { get; }

    /// <summary>True when the values are in host memory, where <see cref="Host"/> reaches them directly.</summary>
    public bool IsHost => _host is not null || Shape.ElementCount == 0;

    /// <summary>The values in host memory (valid when <see cref="IsHost"/>).</summary>
    public Span<float> Host => new(_host, Shape.ElementCount);

    /// <summary>
    /// Views of a [T, heads·headDim] tensor as [T, heads, headDim], [heads, T, headDim] and, for RoPE, [T, heads, headDim/2]
    /// complex pairs; made on first use for a head count and kept, since a stream passes the same tensors every frame.
    /// </summary>
    public HeadViews Heads(int heads)
    {
        HeadViews? views = _heads;
        if (views is not null && views.Count == heads)
            return views;
        var created = new HeadViews(Value, heads);
        HeadViews? previous = Interlocked.Exchange(ref _heads, created);
        previous?.Dispose();
        return created;
    }

    public void Dispose()
    {
        _heads?.Dispose();
        Value.Dispose();
    }

    /// <summary>The views of <see cref="Heads"/>.</summary>
    internal sealed class HeadViews : IDisposable
    {
        public HeadViews(torch.Tensor value, int heads)
        {
            long rows = value.shape[0], headDim = value.shape[1] / heads;
            Count = heads;
            Rows = value.view(rows, heads, headDim);
            HeadMajor = Rows.transpose(0, 1);
            if (headDim % 2 == 0)
            {
                using torch.Tensor pairs = value.view(rows, heads, headDim / 2, 2);
                Pairs = torch.view_as_complex(pairs);
            }
        }

        public int Count { get; }

        /// <summary>[T, heads, headDim].</summary>
        public torch.Tensor Rows { get; }

        /// <summary>[heads, T, headDim].</summary>
        public torch.Tensor HeadMajor { get; }

        /// <summary>[T, heads, headDim/2] complex64 over the same storage, or null for an odd headDim.</summary>
        public torch.Tensor? Pairs { get; }

        public void Dispose()
        {
            Pairs?.Dispose();
            HeadMajor.Dispose();
            Rows.Dispose();
        }
    }
}
