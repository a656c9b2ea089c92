using PocketTts.Tensors;
using TorchSharp;

namespace PocketTts.Backends.Torch;

/// <summary>
/// Keys and values of one attention layer as LibTorch tensors [Capacity, Heads, HeadDim], position-major, so the
/// rows of one call are one contiguous run (two for a ring that wraps) and a linear cache is already in the
/// [length, heads, headDim] layout of voice states. Slot = position for a linear cache, position % Capacity for a ring.
/// </summary>
internal sealed class TorchKvCache : IKvCache
{
    public TorchKvCache(int heads, int headDim, int capacity, int? window, torch.Device device)
    {
        Heads = heads;
        HeadDim = headDim;
        Capacity = capacity;
        Window = window;
        // As the reference does with its NaN-filled cache: a read of a position never written cannot pass silently.
        Keys = torch.full([capacity, heads, headDim], float.NaN, torch.float32, device);
        Values = torch.full([capacity, heads, headDim], float.NaN, torch.float32, device);
    }

    public int Heads { get; }

    public int HeadDim { get; }

    public int Capacity { get; }

    public int? Window { get; }

    /// <summary>[Capacity, Heads, HeadDim].</summary>
    public torch.Tensor Keys { get; }

    /// <summary>[Capacity, Heads, HeadDim].</summary>
    public torch.Tensor Values { get; }

    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
    }
}
