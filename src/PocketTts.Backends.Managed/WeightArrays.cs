namespace PocketTts.Backends.Managed;

/// <summary>
/// The arrays that hold packed weights, on the pinned object heap instead of the large object heap.
/// </summary>
/// <remarks>
/// The collector sizes the large object heap's allocation budget from what survived its last collection: with the
/// 438 MB of a full-size model there, it let ~100 MB of short-lived arrays (voice prompts, streaming states, KV
/// caches) pile up before a full collection, on top of the weights. The pinned object heap has a budget of its
/// own, which only loading spends, so the large object heap holds only the run's buffers and is collected after a
/// few MB of garbage. Nothing else changes for the kernels: these are ordinary arrays that never move.
/// </remarks>
internal static class WeightArrays
{
    /// <summary>A zero-filled pinned array (for layouts with padding that must read as zeros).</summary>
    public static T[] Zeroed<T>(int length)
        where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);

    /// <summary>A pinned copy of <paramref name="values"/>.</summary>
    public static T[] Copy<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        T[] copy = GC.AllocateUninitializedArray<T>(values.Length, pinned: true);
        values.CopyTo(copy);
        return copy;
    }
}
