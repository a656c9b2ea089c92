namespace PocketTts.Generation;

/// <summary>
/// What arrives, in order, when the text to speak is still being written (by a language model, a pipe, a socket): a
/// piece of text, or a flush that ends a turn. See
/// <see cref="PocketTtsModel.GenerateStreamingAsync(IAsyncEnumerable{TextPiece}, Voices.VoiceState, GenerationOptions?, CancellationToken)"/>.
/// </summary>
public readonly record struct TextPiece
{
    private TextPiece(string text, bool isFlush)
    {
        Text = text;
        IsFlush = isFlush;
    }

    /// <summary>The end of a turn: what is pending is spoken now, and the text after it is a new text.</summary>
    public static TextPiece Flush { get; } = new(string.Empty, isFlush: true);

    /// <summary>The text of this piece; empty for a flush. A piece may end anywhere, even inside a word.</summary>
    public string Text { get; }

    /// <summary>Whether this is <see cref="Flush"/>.</summary>
    public bool IsFlush { get; }

    /// <summary>A piece of text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static TextPiece Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(text, isFlush: false);
    }
}
