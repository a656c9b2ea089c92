using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// English text normalisation: symbols and written forms become the words a reader says, in an order where each
/// rule sees what it expects: abbreviations go first, so that "approx. 5" does not look like a sentence end before
/// "5" and "No. 5" still sees its number; then "$1.50" is read as money before "1.50" is read as a decimal, "3:30
/// pm" as a time before "30" is a number, and "5 km" as a measure before bare numbers are spelled out. Words that
/// replace a numeral at the start of a sentence are capitalised. Sentence punctuation is kept; text without digits,
/// symbols or abbreviations is returned unchanged.
/// </summary>
internal sealed partial class EnglishNormalizer : ITextNormalizer
{
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = EnglishAbbreviations.Apply(ReplaceAmpersands(text));
        text = EnglishCurrency.Apply(text);
        text = EnglishTimes.Apply(text);
        text = EnglishUnits.Apply(text);
        return EnglishNumerals.Apply(text);
    }

    /// <summary>"R&amp;D" → "R and D", "rock &amp; roll" → "rock and roll"; no space is added at the ends of the text.</summary>
    private static string ReplaceAmpersands(string text) =>
        Ampersand().Replace(text, m => (m.Index > 0 ? " " : "") + "and" + (m.Index + m.Length < text.Length ? " " : ""));

    [GeneratedRegex(@"\s*&\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Ampersand();
}
