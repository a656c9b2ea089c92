using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// How spelled-out words fit into the text around them: words that replace a numeral or an abbreviation at the
/// start of a sentence are capitalised ("It was 5. 6 came." → "… Six came.", which also lets the natural-pause
/// splitter see the sentence end), and words never run into a neighbouring letter or digit.
/// </summary>
internal static class SpokenReplacement
{
    private const string Openers = "\"'“‘«([{";

    /// <summary>
    /// Replaces every match of <paramref name="regex"/> in <paramref name="text"/> with <paramref name="spoken"/>'s
    /// words (given the whole text and the match). The words are set off by a space where they would touch a letter
    /// or digit ("Q4" → "Q four", "US$5" → "US five dollars"), and capitalised when the match starts a sentence,
    /// unless the writer began it with a lower-case letter ("in 1984", "approx. 5" stay lower-case).
    /// </summary>
    public static string Replace(Regex regex, string text, Func<string, Match, string> spoken) => regex.Replace(text, m =>
    {
        string words = spoken(text, m);
        if (words.Length == 0)
            return words;
        if (!char.IsLower(m.Value[0]) && StartsSentence(text, m.Index))
            words = char.ToUpperInvariant(words[0]) + words[1..];
        int end = m.Index + m.Length;
        bool before = m.Index > 0 && char.IsLetterOrDigit(text[m.Index - 1]) && char.IsLetterOrDigit(words[0]);
        bool after = end < text.Length && char.IsLetterOrDigit(text[end]) && char.IsLetterOrDigit(words[^1]);
        return (before ? " " : "") + words + (after ? " " : "");
    });

    /// <summary>Whether a sentence starts at <paramref name="index"/>: only openers and spaces since a sentence end.</summary>
    public static bool StartsSentence(string text, int index)
    {
        int previous = index - 1;
        while (previous >= 0 && (char.IsWhiteSpace(text[previous]) || Openers.Contains(text[previous], StringComparison.Ordinal)))
            previous--;
        return previous < 0 || (text[previous] is '.' or '!' or '?' or '…' && previous < index - 1);
    }

    /// <summary>Whether a sentence may end at <paramref name="end"/>: the text ends, or a capitalised word follows.</summary>
    public static bool EndsSentence(string text, int end)
    {
        int next = end;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
            next++;
        return next == text.Length || (next > end && char.IsUpper(text[next]));
    }
}
