using System.Text;
using System.Text.RegularExpressions;

namespace PocketTts.Text;

/// <summary>
/// A text made ready for the model by the reference's <c>prepare_text_prompt</c> (pocket_tts/models/tts_model.py),
/// with a guess of how many frames to generate after the end-of-speech signal.
/// </summary>
/// <param name="Text">The prepared text: one line, capitalised, ending in punctuation, optionally padded.</param>
/// <param name="FramesAfterEosGuess">3 for texts of at most four words, otherwise 1 (generation adds 2).</param>
public sealed partial record TextPrompt(string Text, int FramesAfterEosGuess)
{
    private const int PaddingSpaces = 8;
    private const int ShortTextWords = 4;
    private const string TerminalMarks = ".!?\u2026";
    private const string WeakMarks = ",;:-\u2013\u2014";
    private const string Closers = "\"'\u201d\u2019)]\u00bb";

    /// <summary>
    /// Applies <c>prepare_text_prompt</c> rule for rule, with Python string semantics: strip; the configuration's
    /// <see cref="TextRules.ReplaceCharacters"/>, if any; newlines and carriage
    /// returns to spaces, then one pass turning each pair of spaces into one; optionally semicolons to commas;
    /// upper-case the first character (which may lengthen it: <c>ß</c> → <c>SS</c>) unless
    /// <see cref="TextRules.CapitalizeFirstLetter"/> is off; make sure the text ends with a sentence mark
    /// (<c>_ensure_terminal_punctuation</c>) unless <see cref="TextRules.AppendTerminalPunctuation"/> is off; optionally
    /// prefix eight spaces when the text has fewer than five words.
    /// </summary>
    /// <param name="text">The user's text.</param>
    /// <param name="rules">The configuration's flags.</param>
    /// <exception cref="InvalidInputException">The text is empty or only whitespace, or nothing is left of it once its
    /// characters are replaced (subject <c>text</c>).</exception>
    public static TextPrompt Prepare(string text, TextRules rules)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rules);
        text = PythonString.Strip(text);
        if (text.Length == 0)
            throw new InvalidInputException("is empty or only whitespace: give the text to speak.", nameof(text), value: null);
        if (rules.ReplaceCharacters.Count > 0)
            text = ReplaceCharacters(text, rules.ReplaceCharacters);

        // Ordinal, non-overlapping, left to right, like Python's str.replace: three spaces become two.
        text = text.Replace('\n', ' ').Replace('\r', ' ').Replace("  ", " ", StringComparison.Ordinal);
        if (rules.RemoveSemicolons)
            text = text.Replace(';', ',');
        int framesAfterEosGuess = PythonString.WordCount(text) <= ShortTextWords ? 3 : 1;

        // The reference upper-cases the first character unless str.isupper() holds for it; every character for
        // which it holds is its own upper case, so "upper case differs" is the same test.
        // (A lone surrogate decodes as U+FFFD here, which is left alone and is not alphanumeric, as in Python.)
        if (rules.CapitalizeFirstLetter)
        {
            Rune.DecodeFromUtf16(text, out Rune first, out int firstLength);
            string upper = PythonUpper.Of(first);
            if (upper != first.ToString())
                text = upper + text[firstLength..];
        }

        if (rules.AppendTerminalPunctuation)
            text = EnsureTerminalPunctuation(text);

        if (rules.PadWithSpaces && PythonString.WordCount(text) <= ShortTextWords)
            text = new string(' ', PaddingSpaces) + text;
        return new TextPrompt(text, framesAfterEosGuess);
    }

    /// <summary>
    /// Upstream #325: the map in order (ordinal, like <c>str.replace</c>), whitespace runs to one space, and a comma,
    /// semicolon or colon right after a sentence mark dropped, so removing quotes or brackets leaves no stray mark.
    /// </summary>
    private static string ReplaceCharacters(string text, IReadOnlyList<KeyValuePair<string, string>> map)
    {
        foreach ((string from, string to) in map)
            text = text.Replace(from, to, StringComparison.Ordinal);
        var collapsed = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!PythonString.IsSpace(c))
                collapsed.Append(c);
            else if (collapsed.Length > 0 && collapsed[^1] != ' ')
                collapsed.Append(' ');
        }
        text = MarkAfterSentenceMark().Replace(PythonString.Strip(collapsed.ToString()), "$1");
        if (text.Length == 0)
            throw new InvalidInputException("is empty once the configuration's replace_characters are applied.", nameof(text), value: null);
        return text;
    }

    [GeneratedRegex(@"([.!?\u2026]) *[,;:]", RegexOptions.CultureInvariant)]
    private static partial Regex MarkAfterSentenceMark();

    /// <summary>
    /// <c>_ensure_terminal_punctuation</c>: the model mispronounces or repeats a last word that no sentence mark
    /// ends. The core is the text without trailing closers and spaces; the closers keep their place after the mark.
    /// </summary>
    private static string EnsureTerminalPunctuation(string text)
    {
        string core = text.TrimEnd((Closers + " ").ToCharArray());
        string closers = PythonString.Strip(text[core.Length..]);
        if (core.Length == 0 || TerminalMarks.Contains(core[^1], StringComparison.Ordinal))
            return text;
        if (WeakMarks.Contains(core[^1], StringComparison.Ordinal))
            return core.TrimEnd((WeakMarks + " ").ToCharArray()) + "." + closers;
        return text + ".";
    }
}
