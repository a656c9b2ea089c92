using System.Collections;

namespace PocketTts.Generation;

/// <summary>
/// The text side of a generation, decided before any audio is made (<see cref="PocketTtsModel.Plan"/>): the chunks
/// the model will speak, with their token ids and frame budgets, and the silences between them, in the order the audio
/// comes out. Immutable; generate from it with <see cref="PocketTtsModel.GenerateStreamingAsync(SpeechPlan, Voices.VoiceState, GenerationOptions?, CancellationToken)"/>
/// to plan once, for instance to report the token count before the audio, or build one by hand from token ids.
/// </summary>
public sealed class SpeechPlan : IReadOnlyList<PlanItem>
{
    private readonly PlanItem[] _items;

    /// <summary>A plan of <paramref name="items"/>, in order.</summary>
    /// <exception cref="ArgumentException">No items, or a null one.</exception>
    public SpeechPlan(IEnumerable<PlanItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
        if (_items.Length == 0)
            throw new ArgumentException("A plan needs at least one chunk or silence.", nameof(items));
        if (Array.IndexOf(_items, null) is var index and >= 0)
            throw new ArgumentException($"Plan item {index} is null.", nameof(items));
        TokenCount = _items.OfType<ChunkPlan>().Sum(chunk => chunk.TokenIds.Length);
    }

    /// <summary>Tokens the model reads over all chunks (what an API bills as input tokens).</summary>
    public int TokenCount { get; }

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public PlanItem this[int index] => _items[index];

    /// <inheritdoc/>
    public IEnumerator<PlanItem> GetEnumerator() => ((IEnumerable<PlanItem>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
