using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>
/// Keys and values of one attention layer, stored head-major so that one head's keys are contiguous:
/// <c>Keys[h, slot, d]</c>, <c>Values[h, slot, d]</c>, slot = position for a linear cache and
/// position % Capacity for a ring. Also owns the attention's score scratch, so a step allocates nothing.
/// </summary>
internal sealed class ManagedKvCache : IKvCache
{
    public ManagedKvCache(int heads, int headDim, int capacity, int? window)
    {
        Heads = heads;
        HeadDim = headDim;
        Capacity = capacity;
        Window = window;
        Keys = new float[checked(heads * capacity * headDim)];
        Values = new float[Keys.Length];
        Scores = new float[checked(heads * (window ?? capacity))];
        // As the reference does with its NaN-filled cache: a read of a position never written cannot pass silently.
        Array.Fill(Keys, float.NaN);
        Array.Fill(Values, float.NaN);
    }

    public int Heads { get; }

    public int HeadDim { get; }

    public int Capacity { get; }

    public int? Window { get; }

    /// <summary>[Heads, Capacity, HeadDim].</summary>
    public float[] Keys { get; }

    /// <summary>[Heads, Capacity, HeadDim].</summary>
    public float[] Values { get; }

    /// <summary>[Heads, Window ?? Capacity]: one row of attention weights per head, reused for every query row.</summary>
    public float[] Scores { get; }

    /// <summary>The most keys one query row can see.</summary>
    public int MaxVisible => Window ?? Capacity;

    public void Dispose() { }
}
