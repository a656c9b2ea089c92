using System.Text;

namespace PocketTts.Generation;

/// <summary>
/// Plans a text that arrives piece by piece, so that generation can start before it is complete, and plans it exactly
/// as the whole text: the items it releases, in order, are <see cref="PocketTtsModel.Plan"/> of the whole text, wherever
/// the pieces were cut. One instance per stream, used by one thread at a time.
/// </summary>
/// <remarks>
/// <para>After each piece the text so far is planned again, up to its last whole word (the last word may still grow,
/// and a tokenizer or a normaliser may read it differently once complete), and the items that more text cannot change
/// are released (<see cref="SpeechPlanner.PlanOpen"/>): in practice a chunk of sentences is released once the sentence
/// after it is complete.</para>
/// <para>A chunk that a pause follows is released together with the pause, so that the fades around pauses
/// (<see cref="FrameAssembler"/>) see the same neighbours as in the whole text. <see cref="Flush"/> ends the text: the
/// rest is planned as a whole and the next piece starts a new text (a new turn, whose items count from 0 again).</para>
/// </remarks>
internal sealed class TextStreamPlanner(SpeechPlanner planner, GenerationOptions options)
{
    private readonly StringBuilder _text = new();
    private List<PlanItem> _items = [];

    /// <summary>The items released in this turn so far, in plan order; a new list after each <see cref="Flush"/>.</summary>
    public IReadOnlyList<PlanItem> Items => _items;

    /// <summary>Adds a piece of text and releases what it settles.</summary>
    /// <returns>How many items were released (appended to <see cref="Items"/>).</returns>
    public int Append(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        _text.Append(piece);
        int end = WholeWordsEnd(_text);
        if (end == 0)
            return 0;
        (IReadOnlyList<PlanItem> plan, int final) = planner.PlanOpen(_text.ToString(0, end), options);
        // A chunk waits for the pause after it (see remarks).
        if (final > 0 && final < plan.Count && plan[final] is SilencePlan && plan[final - 1] is ChunkPlan)
            final--;
        return Release(plan, final);
    }

    /// <summary>Ends the turn: plans the text received since the last flush as a whole and releases the rest of it.</summary>
    /// <returns>
    /// The items of the turn (the whole text's plan); empty when the turn was only whitespace. The next piece starts
    /// a new turn.
    /// </returns>
    /// <exception cref="InvalidInputException">The text holds nothing to speak once prepared.</exception>
    /// <exception cref="Text.Pauses.PauseMarkupException">The text has a malformed pause marker.</exception>
    public IReadOnlyList<PlanItem> Flush()
    {
        string text = _text.ToString();
        if (!string.IsNullOrWhiteSpace(text))
            Release(planner.Plan(text, options), int.MaxValue);
        IReadOnlyList<PlanItem> turn = _items;
        _text.Clear();
        _items = [];
        return turn;
    }

    private int Release(IReadOnlyList<PlanItem> plan, int final)
    {
        int before = _items.Count;
        for (int i = before; i < Math.Min(final, plan.Count); i++)
            _items.Add(plan[i]);
        return _items.Count - before;
    }

    /// <summary>The length of the text up to the whitespace before its last word: the words that are surely complete.</summary>
    private static int WholeWordsEnd(StringBuilder text)
    {
        int end = text.Length;
        while (end > 0 && !char.IsWhiteSpace(text[end - 1]))
            end--;
        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            end--;
        return end;
    }
}
