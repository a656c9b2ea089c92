using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// What a stream carries between calls of a stage's graphs: the state tensors, the attention caches and the position.
/// Every state has two buffers: a call reads the current one and writes the other, then they swap, so each graph is
/// bound once per buffer (<see cref="StreamCall"/>) and a call copies no state. A state no graph of the stream
/// writes keeps one buffer for both. The caches' views are bound again on each call, since their rows move.
/// </summary>
internal sealed class StreamState
{
    private readonly Dictionary<int, StateBuffers> _states = [];
    private readonly Dictionary<int, OnnxKvCache> _caches = [];
    private readonly long[] _position = new long[1];
    private readonly OnnxKvCache? _firstCache;   // all caches advance together: its position is the stream's

    /// <param name="graphs">The graphs that share this state.</param>
    /// <param name="cacheRows">Buffer rows of each cache (see <see cref="OnnxKvCache"/>).</param>
    public StreamState(IReadOnlyCollection<OnnxGraph> graphs, int cacheRows)
    {
        var written = graphs.SelectMany(g => g.Signature.States).Where(s => s.Output is not null).Select(s => s.Id).ToHashSet();
        foreach (OnnxGraph graph in graphs)
        {
            foreach (CarriedState state in graph.Signature.States)
                _states.TryAdd(state.Id, StateBuffers.For(state, swapped: written.Contains(state.Id)));
            foreach (CacheSpec cache in graph.Signature.Caches)
            {
                if (!_caches.ContainsKey(cache.Id))
                    _caches[cache.Id] = new OnnxKvCache(cache.Heads, cache.HeadDim, cacheRows, cache.Window);
            }
        }
        _firstCache = _caches.Values.FirstOrDefault();
    }

    /// <summary>Which of each state's two buffers holds its current value (0 or 1).</summary>
    public int Parity { get; private set; }

    /// <summary>The caches in layer order.</summary>
    public IReadOnlyList<OnnxKvCache> Caches => [.. _caches.OrderBy(c => c.Key).Select(c => c.Value)];

    /// <summary>Absolute position of the next row (0 without caches).</summary>
    public int Position => _firstCache?.Position ?? 0;

    /// <summary>The current value of the float32 state <paramref name="id"/>.</summary>
    public float[] Floats(int id) => ((StateBuffers<float>)_states[id]).Values[Parity];

    /// <summary>The current value of the int64 state <paramref name="id"/>.</summary>
    public long[] Longs(int id) => ((StateBuffers<long>)_states[id]).Values[Parity];

    /// <summary>
    /// <paramref name="graph"/> bound to this stream's position and states, once per buffer; the caller binds the
    /// call's own inputs and outputs on the result.
    /// </summary>
    public StreamCall Bind(OnnxGraph graph)
    {
        GraphSignature signature = graph.Signature;
        var writes = signature.States.Where(s => s.Output is not null).Select(s => s.Id).ToHashSet();
        StateBuffers[] untouched = [.. _states.Where(s => s.Value.Swapped && !writes.Contains(s.Key)).Select(s => s.Value)];
        var call = new StreamCall(graph, untouched);
        try
        {
            for (int parity = 0; parity < 2; parity++)
            {
                GraphBinding binding = call.Bindings[parity];
                if (signature.Position is { } position)
                    binding.Input(position, _position.AsMemory());
                foreach (CarriedState state in signature.States)
                    _states[state.Id].Bind(binding, state, parity);
            }
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> (made by <see cref="Bind"/>) with the caches' views for <paramref name="rows"/>
    /// new rows; its state outputs become the current values, and it keeps the new cache rows.
    /// </summary>
    public void Run(StreamCall call, int rows)
    {
        _position[0] = Position;
        GraphBinding binding = call.Bindings[Parity];
        foreach (CacheViewNames views in call.Graph.CacheViews)
            _caches[views.Id].BindViews(binding, views, rows);
        binding.Run();
        foreach (StateBuffers state in call.Untouched)
            state.CarryOver(Parity);   // a state another graph of the stream writes: the next buffer holds it too
        Parity ^= 1;
        foreach (CacheViewNames views in call.Graph.CacheViews)
            _caches[views.Id].Advance(rows);
    }

    /// <summary>Back to the initial values and empty caches.</summary>
    public void Reset()
    {
        Parity = 0;
        foreach (StateBuffers state in _states.Values)
            state.Fill();
        foreach (OnnxKvCache cache in _caches.Values)
            cache.Clear();
    }
}
