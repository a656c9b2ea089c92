using PocketTts.Tensors;
using static TorchSharp.torch;

namespace PocketTts.Backends.Torch;

/// <summary>Key/value caches and causal attention through them.</summary>
internal sealed partial class TorchTensorBackend
{
    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window)
    {
        TensorArguments.CreateKvCache(heads, headDim, capacity, window);
        EnterInference();
        return new TorchKvCache(heads, headDim, capacity, window, _device);
    }

    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        const string op = nameof(Attention);
        TorchTensor qt = Own(q, op, nameof(q)), kt = Own(k, op, nameof(k));
        TorchTensor vt = Own(v, op, nameof(v)), yt = Own(y, op, nameof(y));
        TorchKvCache c = Cache(op, cache);
        int rows = TensorArguments.Attention(op, qt, kt, vt, c, position, yt);
        if (rows == 0)
            return;
        EnterInference();
        Store(c.Keys, kt.Heads(c.Heads).Rows, rows, position, c.Capacity);
        Store(c.Values, vt.Heads(c.Heads).Rows, rows, position, c.Capacity);
        // The keys any row of this call sees are the positions first … last, which the ring still holds: the call's
        // rows fit in capacity − window + 1, so the oldest position stored over is older than `first`.
        int last = position + rows - 1;
        int first = c.Window is int w ? Math.Max(0, position - w + 1) : 0;
        using Tensor keysRows = Gather(c.Keys, first, last, c.Capacity), valuesRows = Gather(c.Values, first, last, c.Capacity);
        using Tensor visibleKeys = keysRows.transpose(0, 1), visibleValues = valuesRows.transpose(0, 1);   // [H, L, D]
        Tensor query = qt.Heads(c.Heads).HeadMajor;                                                          // [H, T, D]
        using Tensor? mask = rows > 1 ? Mask(position, rows, first, last, c.Window) : null;
        using Tensor output = nn.functional.scaled_dot_product_attention(query, visibleKeys, visibleValues, mask);
        yt.Heads(c.Heads).HeadMajor.copy_(output);
    }

    /// <summary>
    /// StreamingMultiheadAttention of pocket_tts/modules/transformer.py: the mask comes from absolute positions, key a
    /// visible to row t (position p = position + t) iff a ≤ p and, for a ring, p − a &lt; window. A single row sees
    /// every gathered key, so steps need none: [T, L] booleans, true where attention is allowed.
    /// </summary>
    private Tensor Mask(int position, int rows, int first, int last, int? window)
    {
        using var scope = NewDisposeScope();
        Tensor queries = arange(position, position + rows, int64, _device).view(rows, 1);
        Tensor keys = arange(first, last + 1, int64, _device).view(1, last - first + 1);
        Tensor delta = queries - keys;
        Tensor mask = window is int w ? delta.ge(0).logical_and_(delta.lt(w)) : delta.ge(0);
        return mask.DetachFromDisposeScope();
    }

    /// <summary>Writes rows [T, H, D] at the slots of positions position … position + T − 1 (at most two runs of a ring).</summary>
    private static void Store(Tensor cache, Tensor rows, int count, int position, int capacity)
    {
        int slot = position % capacity, run = Math.Min(count, capacity - slot);
        using (Tensor to = cache.narrow(0, slot, run), from = rows.narrow(0, 0, run))
            to.copy_(from);
        if (run < count)
        {
            using Tensor to = cache.narrow(0, 0, count - run), from = rows.narrow(0, run, count - run);
            to.copy_(from);
        }
    }

    /// <summary>The slots of positions first … last as one [L, H, D] tensor: a view, or a copy when the ring wraps.</summary>
    private static Tensor Gather(Tensor cache, int first, int last, int capacity)
    {
        int count = last - first + 1, slot = first % capacity, run = Math.Min(count, capacity - slot);
        Tensor head = cache.narrow(0, slot, run);
        if (run == count)
            return head;
        using (head)
        using (Tensor tail = cache.narrow(0, 0, count - run))
            return cat([head, tail], 0);
    }

    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values)
    {
        TorchKvCache c = LinearCache(nameof(ReadKvCache), cache, length, keys.Length, values.Length);
        if (length == 0)
            return;
        EnterInference();
        using Tensor k = c.Keys.narrow(0, 0, length), v = c.Values.narrow(0, 0, length);
        TorchTensors.Read(k, keys);
        TorchTensors.Read(v, values);
    }

    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        TorchKvCache c = LinearCache(nameof(WriteKvCache), cache, length, keys.Length, values.Length);
        if (length == 0)
            return;
        EnterInference();
        using Tensor k = c.Keys.narrow(0, 0, length), v = c.Values.narrow(0, 0, length);
        TorchTensors.Write(keys, k);
        TorchTensors.Write(values, v);
    }

    private static TorchKvCache Cache(string op, IKvCache cache) => TensorArguments.OwnCache<TorchKvCache>(cache, op, BackendName);

    private static TorchKvCache LinearCache(string op, IKvCache cache, int length, int keys, int values)
    {
        TorchKvCache c = Cache(op, cache);
        TensorArguments.KvCacheCopy(op, c, length, keys, values);
        return c;
    }
}
