namespace PocketTts.Stages;

/// <summary>
/// An immutable copy of a FlowLM state: per layer, the keys and values of every written position. This is
/// what a voice state is, and what the reference exports to safetensors (<c>module/cache</c>,
/// <c>module/offset</c>).
/// </summary>
public sealed class FlowLmSnapshot
{
    /// <summary>Creates a snapshot; arrays are taken as they are (not copied) and must not be changed afterwards.</summary>
    /// <param name="offset">Positions written.</param>
    /// <param name="heads">Heads per layer.</param>
    /// <param name="headDim">Features per head.</param>
    /// <param name="keys">Per layer, keys [offset, heads, headDim].</param>
    /// <param name="values">Per layer, values [offset, heads, headDim].</param>
    /// <exception cref="ArgumentException">Array lengths are inconsistent.</exception>
    public FlowLmSnapshot(int offset, int heads, int headDim, IReadOnlyList<float[]> keys, IReadOnlyList<float[]> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (keys.Count != values.Count)
            throw new ArgumentException($"Snapshot has {keys.Count} key layers but {values.Count} value layers.");
        long perLayer = (long)offset * heads * headDim;
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i].Length != perLayer || values[i].Length != perLayer)
                throw new ArgumentException($"Snapshot layer {i} holds {keys[i].Length}/{values[i].Length} values, expected {offset}×{heads}×{headDim}.");
        }
        Offset = offset;
        Heads = heads;
        HeadDim = headDim;
        Keys = keys;
        Values = values;
    }

    /// <summary>Positions written.</summary>
    public int Offset { get; }

    /// <summary>Heads per layer.</summary>
    public int Heads { get; }

    /// <summary>Features per head.</summary>
    public int HeadDim { get; }

    /// <summary>Layers.</summary>
    public int Layers => Keys.Count;

    /// <summary>Per layer, keys [Offset, Heads, HeadDim].</summary>
    public IReadOnlyList<float[]> Keys { get; }

    /// <summary>Per layer, values [Offset, Heads, HeadDim].</summary>
    public IReadOnlyList<float[]> Values { get; }
}
