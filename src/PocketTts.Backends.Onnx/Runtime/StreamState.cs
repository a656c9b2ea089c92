using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// What a stream carries between calls of a stage's graphs: the state tensors and the attention caches. Every state
/// starts as zeros. A state is bound as an input over one buffer and as an output over another, once per binding; after
/// a run the output is copied into the input buffer (states are streaming convolutions' short histories), so the
/// binding never changes. The caches' views are bound again on each run, since their rows move.
/// </summary>
internal sealed class StreamState
{
    private readonly Dictionary<int, (float[] Current, float[] Next)> _states = [];
    private readonly Dictionary<int, OnnxKvCache> _caches = [];
    private readonly long[] _position = new long[1];

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

    /// <summary>A binding of <paramref name="graph"/> with this stream's position input and states bound; the caller binds the call's own inputs and outputs.</summary>
    public GraphBinding Bind(OnnxGraph graph)
    {
        var binding = new GraphBinding(graph);
        try
        {
            if (graph.Spec.Position is { } position)
                binding.Input(position, _position.AsMemory());
            foreach (StateSpec state in graph.Spec.States)
            {
                (float[] current, float[] next) = _states[state.Id];
                long[] shape = [.. state.Shape.Select(d => (long)d)];
                if (state.Input is not null)
                    binding.Input(state.Input, current.AsMemory(), shape);
                if (state.Output is not null)
                    binding.Output(state.Output, next.AsMemory(), shape);
            }
            return binding;
        }
        catch
        {
            binding.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="graph"/> on <paramref name="binding"/> (made by <see cref="Bind"/>), with the caches' views
    /// for <paramref name="rows"/> new rows, then keeps the state outputs and the new cache rows.
    /// </summary>
    public void Run(OnnxGraph graph, GraphBinding binding, int rows)
    {
        _position[0] = Position;
        foreach (CacheSpec spec in graph.Spec.Caches)
            _caches[spec.Id].BindViews(binding, spec, rows);
        binding.Run();
        foreach (StateSpec state in graph.Spec.States)
        {
            if (state.Output is not null)
            {
                (float[] current, float[] next) = _states[state.Id];
                next.CopyTo(current, 0);
            }
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
