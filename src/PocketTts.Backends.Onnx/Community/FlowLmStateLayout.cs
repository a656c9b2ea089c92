using System.Globalization;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// What flow_lm_main's state manifest means for a FlowLM state: per transformer layer (in layer order, which is not
/// the manifest's string order: "layers.10" sorts before "layers.2") the index of its KV cache
/// <c>[2, 1, capacity, heads, headDim]</c> (keys, then values), the int64 position counters (<c>step</c>,
/// <c>offset</c>) that the graph advances, and nothing else but empty placeholders.
/// </summary>
internal sealed class FlowLmStateLayout : IFlowLmCaches
{
    private FlowLmStateLayout(int[] caches, int[] positions, int capacity, int heads, int headDim)
    {
        Caches = caches;
        Positions = positions;
        Capacity = capacity;
        Heads = heads;
        HeadDim = headDim;
    }

    /// <summary>Manifest index of each layer's cache, in layer order.</summary>
    public IReadOnlyList<int> Caches { get; }

    /// <summary>Manifest indices of the position counters.</summary>
    public IReadOnlyList<int> Positions { get; }

    /// <summary>Positions each cache holds (1000 in the published exporter).</summary>
    public int Capacity { get; }

    public int Heads { get; }

    public int HeadDim { get; }

    public int Layers => Caches.Count;

    public int? MaxCapacity => Capacity;

    /// <remarks>A state's ids are its manifest indices.</remarks>
    public void Load(StreamState stream, FlowLmSnapshot snapshot)
    {
        int valuesStart = Capacity * Heads * HeadDim;
        for (int layer = 0; layer < Layers; layer++)
        {
            float[] cache = stream.Floats(Caches[layer]);   // [2, 1, capacity, heads, headDim]
            snapshot.Keys[layer].CopyTo(cache, 0);
            snapshot.Values[layer].CopyTo(cache, valuesStart);
        }
        foreach (int position in Positions)
            stream.Longs(position)[0] = snapshot.Offset;
    }

    public FlowLmSnapshot Save(StreamState stream, int offset)
    {
        int length = offset * Heads * HeadDim, valuesStart = Capacity * Heads * HeadDim;
        var keys = new float[Layers][];
        var values = new float[Layers][];
        for (int layer = 0; layer < Layers; layer++)
        {
            float[] cache = stream.Floats(Caches[layer]);
            keys[layer] = cache.AsSpan(0, length).ToArray();
            values[layer] = cache.AsSpan(valuesStart, length).ToArray();
        }
        return new FlowLmSnapshot(offset, Heads, HeadDim, keys, values);
    }

    /// <exception cref="InvalidDataException">A state is not one of these kinds, a cache is not
    /// [2, 1, capacity, heads, headDim] or the caches differ, or the layers are not 0 … n − 1.</exception>
    public static FlowLmStateLayout From(StateEntry[] states, string file)
    {
        var caches = new SortedDictionary<int, int>();
        var positions = new List<int>();
        int[]? cacheShape = null;
        for (int i = 0; i < states.Length; i++)
        {
            StateEntry state = states[i];
            string at = $"{file}: flow_lm_state_manifest[{i}] ({state.Path})";
            switch (state.Key)
            {
                case "cache":
                    if (state.Dtype != StateDtype.Float32 || state.Shape.Length != 5 || state.Shape[0] != 2 || state.Shape[1] != 1)
                        throw new InvalidDataException($"{at} is {state.Dtype} [{string.Join(", ", state.Shape)}]; a KV cache is float32 [2, 1, positions, heads, headDim].");
                    if (cacheShape is not null && !cacheShape.SequenceEqual(state.Shape))
                        throw new InvalidDataException($"{at} is [{string.Join(", ", state.Shape)}] but an earlier cache is [{string.Join(", ", cacheShape)}].");
                    cacheShape = state.Shape;
                    int layer = LayerIndex(state.Module) ?? throw new InvalidDataException($"{at}: the module path names no 'layers.N'.");
                    if (!caches.TryAdd(layer, i))
                        throw new InvalidDataException($"{at}: layer {layer} has a second cache.");
                    break;
                case "step" or "offset":
                    if (state.Dtype != StateDtype.Int64 || state.Count != 1)
                        throw new InvalidDataException($"{at} is {state.Dtype} [{string.Join(", ", state.Shape)}]; a position counter is one int64.");
                    positions.Add(i);
                    break;
                default:
                    if (state.Fill != StateFill.Empty)
                        throw new InvalidDataException($"{at} is a state this runtime does not know how to restore from a voice snapshot (known: cache, step, offset, and empty placeholders).");
                    break;
            }
        }
        if (cacheShape is null)
            throw new InvalidDataException($"{file}: flow_lm_state_manifest has no KV cache.");
        if (caches.Keys.Last() != caches.Count - 1)
            throw new InvalidDataException($"{file}: flow_lm_state_manifest has caches for layers {string.Join(", ", caches.Keys)}, not 0 … {caches.Count - 1}.");
        return new FlowLmStateLayout([.. caches.Values], [.. positions], cacheShape[2], cacheShape[3], cacheShape[4]);
    }

    /// <summary>N in a module path with a segment "layers" followed by "N" (e.g. <c>transformer.layers.12.self_attn</c>).</summary>
    internal static int? LayerIndex(string module)
    {
        string[] parts = module.Split('.');
        for (int i = 0; i + 1 < parts.Length; i++)
        {
            if (parts[i] == "layers" && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int layer))
                return layer;
        }
        return null;
    }
}
