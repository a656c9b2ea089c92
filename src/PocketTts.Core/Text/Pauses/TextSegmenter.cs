using PocketTts.Text.Normalization;

namespace PocketTts.Text.Pauses;

/// <summary>
/// The text side of a request in the order that makes each step safe: pause markers are read first (so the
/// normaliser never sees "[pause:1.5s]"), then each speech segment is normalised (numbers become words), then
/// natural pauses are added (so "1,234" and "3.14" cannot be mistaken for punctuation).
/// </summary>
public static class TextSegmenter
{
    /// <summary>Turns a user's text into speech and pause segments, ready for prompt preparation and chunking.</summary>
    /// <param name="text">The user's text, possibly with pause markers.</param>
    /// <param name="normalizer">The language's normaliser, e.g. <see cref="TextNormalizers.For"/>.</param>
    /// <param name="options">Pause lengths; validated first.</param>
    /// <returns>Speech and pauses in order, never two of a kind in a row; empty for an empty text.</returns>
    /// <exception cref="PauseMarkupException">A pause marker is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IReadOnlyList<TextSegment> Segment(string text, ITextNormalizer normalizer, PauseOptions options)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        IReadOnlyList<TextSegment> marked = PauseMarkup.Parse(text, options);
        var normalized = new List<TextSegment>(marked.Count);
        foreach (TextSegment segment in marked)
            normalized.Add(segment is SpeechSegment speech ? new SpeechSegment(normalizer.Normalize(speech.Text)) : segment);
        return NaturalPauses.Insert(normalized, options);
    }
}
