using PocketTts.Tensors;

namespace PocketTts.Model.Transformer;

/// <summary>
/// The per-stream state of a <see cref="StreamingTransformer"/> (the reference's per-layer <c>offset</c> and
/// <c>cache</c>): one KV cache per layer, the position of the next row, and the workspace of a step of
/// <see cref="StepRows"/> rows so that per-frame calls allocate nothing. Created by
/// <see cref="StreamingTransformer.CreateState"/>; owned by one stream; not thread-safe.
/// </summary>
internal sealed class StreamingTransformerState : IDisposable
{
    private readonly ITensorBackend _backend;
    private readonly IKvCache[] _caches;

    internal StreamingTransformerState(StreamingTransformer owner, ITensorBackend backend, int capacity, int stepRows)
    {
        StreamingTransformerConfig config = owner.Config;
        Owner = owner;
        _backend = backend;
        _caches = new IKvCache[config.NumLayers];
        for (int i = 0; i < _caches.Length; i++)
            _caches[i] = backend.CreateKvCache(config.NumHeads, config.HeadDim, capacity, config.Context);
        StepWorkspace = new TransformerWorkspace(backend, stepRows, config);
    }

    /// <summary>Absolute position of the next row: the cache write position and the RoPE offset.</summary>
    public int Offset { get; private set; }

    /// <summary>Positions each cache holds.</summary>
    public int Capacity => _caches[0].Capacity;

    /// <summary>Attention window of a ring cache, or null for a linear cache.</summary>
    public int? Window => _caches[0].Window;

    /// <summary>Row count of the calls that reuse the state's own workspace.</summary>
    public int StepRows => StepWorkspace.Rows;

    internal StreamingTransformer Owner { get; }

    internal TransformerWorkspace StepWorkspace { get; }

    internal IKvCache Cache(int layer) => _caches[layer];

    /// <summary>Starts the stream over at position 0, keeping the buffers (stale cache entries are never read).</summary>
    public void Reset() => Offset = 0;

    /// <summary>Copies the <see cref="Offset"/> positions of a layer's linear cache as keys and values [Offset, heads, headDim].</summary>
    /// <exception cref="InvalidOperationException">The cache is a ring (only linear caches are exported).</exception>
    public void ReadCache(int layer, Span<float> keys, Span<float> values)
    {
        RequireLinear();
        _backend.ReadKvCache(_caches[layer], Offset, keys, values);
    }

    /// <summary>
    /// Replaces the stream with <paramref name="offset"/> positions per layer, keys and values
    /// [offset, heads, headDim] (a voice state), and continues from there.
    /// </summary>
    /// <exception cref="ArgumentException">Layer count or lengths do not match, or the capacity is too small.</exception>
    public void Load(int offset, IReadOnlyList<float[]> keys, IReadOnlyList<float[]> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        RequireLinear();
        if (keys.Count != _caches.Length || values.Count != _caches.Length)
            throw new ArgumentException($"Cache data has {keys.Count}/{values.Count} layers, the transformer {_caches.Length}.");
        if (offset < 0 || offset > Capacity)
            throw new ArgumentException($"Cannot load {offset} positions into caches of capacity {Capacity}.");
        for (int i = 0; i < _caches.Length; i++)
            _backend.WriteKvCache(_caches[i], offset, keys[i], values[i]);
        Offset = offset;
    }

    /// <summary>
    /// Moves time forward after a call of <paramref name="rows"/> rows; <see cref="StreamingTransformer.Forward"/> is
    /// its only caller, so the position advances in exactly one place (the reference's <c>increment_steps</c>).
    /// </summary>
    internal void Advance(int rows) => Offset += rows;

    /// <summary>Throws unless a call of <paramref name="rows"/> rows fits the caches.</summary>
    internal void EnsureRoom(int rows)
    {
        if (Window is int window)
        {
            // ITensorBackend.CreateKvCache: a ring holds the window behind the call's first row plus the call itself.
            if (rows + window > Capacity)
                throw new InvalidOperationException($"A call of {rows} rows needs a ring cache of at least {rows + window} positions (window {window}); this one holds {Capacity}.");
        }
        else if (Offset + rows > Capacity)
        {
            throw new InvalidOperationException($"The transformer state is full: {Offset} positions written, {rows} more requested, capacity {Capacity}.");
        }
    }

    private void RequireLinear()
    {
        if (Window is not null)
            throw new InvalidOperationException("Only linear (unlimited-context) caches can be read or loaded.");
    }

    public void Dispose()
    {
        foreach (IKvCache cache in _caches)
            cache.Dispose();
        StepWorkspace.Dispose();
    }
}
