using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// What a stream carries between calls of a stage's graphs: the state tensors (two buffers each, the output of one
/// call becoming the input of the next without a copy) and the attention caches. Every state starts as zeros.
/// </summary>
internal sealed class StreamState
{
    private readonly Dictionary<int, (float[] Current, float[] Next)> _states = [];
    private readonly Dictionary<int, OnnxKvCache> _caches = [];

    /// <param name="graphs">The graphs that share this state.</param>
    /// <param name="cacheRows">Buffer rows of each cache (see <see cref="OnnxKvCache"/>).</param>
    public StreamState(IEnumerable<OnnxGraph> graphs, int cacheRows)
    {
        foreach (OnnxGraph graph in graphs)
        {
            foreach (StateSpec state in graph.Spec.States)
            {
                if (!_states.ContainsKey(state.Id))
                {
                    long size = state.Shape.Aggregate(1L, (a, b) => a * b);
                    _states[state.Id] = (new float[size], new float[size]);
                }
            }
            foreach (CacheSpec cache in graph.Spec.Caches)
            {
                if (!_caches.ContainsKey(cache.Id))
                    _caches[cache.Id] = new OnnxKvCache(cache.Heads, cache.HeadDim, cacheRows, cache.Window);
            }
        }
    }

    /// <summary>The caches in layer order.</summary>
    public IReadOnlyList<OnnxKvCache> Caches => [.. _caches.OrderBy(c => c.Key).Select(c => c.Value)];

    /// <summary>Absolute position of the next row (0 without caches).</summary>
    public int Position => _caches.Count == 0 ? 0 : _caches.Values.First().Position;

    /// <summary>
    /// Runs <paramref name="graph"/> with the call's own inputs and outputs plus this stream's state and caches,
    /// then keeps the state outputs and the call's <paramref name="rows"/> new cache rows.
    /// </summary>
    public void Run(OnnxGraph graph, GraphCall call, int rows)
    {
        if (graph.Spec.Position is { } position)
            call.Input(position, [Position]);
        foreach (StateSpec state in graph.Spec.States)
        {
            (float[] current, float[] next) = _states[state.Id];
            long[] shape = [.. state.Shape.Select(d => (long)d)];
            if (state.Input is not null)
                call.Input(state.Input, current, shape);
            if (state.Output is not null)
                call.Output(state.Output, next, shape);
        }
        foreach (CacheSpec spec in graph.Spec.Caches)
        {
            OnnxKvCache cache = _caches[spec.Id];
            (Memory<float> newKeys, Memory<float> newValues) = cache.Next(rows);   // first: it may move the past rows
            (Memory<float> pastKeys, Memory<float> pastValues) = cache.Past();
            call.Input(spec.PastKeys, pastKeys, cache.PastRows, spec.Heads, spec.HeadDim)
                .Input(spec.PastValues, pastValues, cache.PastRows, spec.Heads, spec.HeadDim)
                .Output(spec.NewKeys, newKeys, rows, spec.Heads, spec.HeadDim)
                .Output(spec.NewValues, newValues, rows, spec.Heads, spec.HeadDim);
        }
        call.Run(graph);
        foreach (StateSpec state in graph.Spec.States.Where(s => s.Output is not null))
        {
            (float[] current, float[] next) = _states[state.Id];
            _states[state.Id] = (next, current);
        }
        foreach (CacheSpec spec in graph.Spec.Caches)
            _caches[spec.Id].Advance(rows);
    }

    /// <summary>Back to zeros and empty caches.</summary>
    public void Reset()
    {
        foreach ((float[] current, float[] next) in _states.Values)
        {
            Array.Clear(current);
            Array.Clear(next);
        }
        foreach (OnnxKvCache cache in _caches.Values)
            cache.Clear();
    }
}
