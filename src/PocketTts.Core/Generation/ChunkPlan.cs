namespace PocketTts.Generation;

/// <summary>One text chunk ready for generation: its text, token ids and frame budget.</summary>
public sealed record ChunkPlan : PlanItem
{
    /// <summary>A chunk that speaks <paramref name="tokenIds"/>.</summary>
    /// <param name="text">The chunk as the sentence splitter produced it (for display; generation reads only the ids).</param>
    /// <param name="tokenIds">Its token ids, at least one, each within the model's vocabulary.</param>
    /// <param name="framesAfterEos">Frames generated after end of speech, ≥ 0.</param>
    /// <param name="maxFrames">Upper bound of generated frames (80 ms each), ≥ 1.</param>
    /// <exception cref="ArgumentException">No token ids, or a frame count out of range.</exception>
    public ChunkPlan(string text, int[] tokenIds, int framesAfterEos, int maxFrames)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenIds);
        if (tokenIds.Length == 0)
            throw new ArgumentException("A chunk needs at least one token id.", nameof(tokenIds));
        ArgumentOutOfRangeException.ThrowIfNegative(framesAfterEos);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrames);
        (Text, TokenIds, FramesAfterEos, MaxFrames) = (text, tokenIds, framesAfterEos, maxFrames);
    }

    /// <summary>The chunk as the sentence splitter produced it.</summary>
    public string Text { get; }

    /// <summary>Its token ids.</summary>
    public int[] TokenIds { get; }

    /// <summary>Frames generated after end of speech.</summary>
    public int FramesAfterEos { get; }

    /// <summary>Upper bound of generated frames.</summary>
    public int MaxFrames { get; }
}
