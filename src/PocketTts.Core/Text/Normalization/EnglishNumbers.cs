using System.Globalization;
using System.Text.RegularExpressions;
using Humanizer;

namespace PocketTts.Text.Normalization;

/// <summary>
/// English number words: cardinals (from Humanizer) in American style without "and" ("one hundred twenty-three"), ordinals,
/// decimals read digit by digit after "point", and years read in pairs ("nineteen ninety-nine", "twenty ten").
/// </summary>
internal static class EnglishNumbers
{
    /// <summary>
    /// A number as written, for use inside other patterns: the integer part (<c>int</c>) with or without valid
    /// thousands separators ("1,234,567" but not "1,23"), then an optional fraction (<c>frac</c>). ASCII digits only.
    /// </summary>
    public const string Unsigned = @"(?<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?<frac>[0-9]+))?";

    /// <summary>
    /// An optional sign (<c>sign</c>: minus or plus), recognised only where it starts a word, so that "5-3",
    /// "1990-1999" and "COVID-19" keep their hyphens.
    /// </summary>
    public const string Sign = @"(?:(?<=^|[\s(\[{""'/])(?<sign>[-−+]))?";

    /// <summary>Integers longer than this are read digit by digit (they are codes, not quantities).</summary>
    private const int MaxCardinalDigits = 18;

    private static readonly NumberWordsCulture Culture = new("en");

    private static readonly Dictionary<string, string> IrregularOrdinals = new(StringComparer.Ordinal)
    {
        ["one"] = "first",
        ["two"] = "second",
        ["three"] = "third",
        ["five"] = "fifth",
        ["eight"] = "eighth",
        ["nine"] = "ninth",
        ["twelve"] = "twelfth",
    };

    /// <summary>0 → "zero", 21 → "twenty-one", 1234 → "one thousand two hundred thirty-four" (Humanizer, without "and").</summary>
    /// <remarks>Humanizer honours <c>addAnd: false</c> only below a billion; its British "and" is dropped above.</remarks>
    public static string Cardinal(long n) => n.ToWords(Culture, addAnd: false).Replace(" and ", " ", StringComparison.Ordinal);

    /// <summary>
    /// An integer as written ("1,234" or "1234") in words; with a leading zero ("007") or more than 18 digits it is
    /// read digit by digit.
    /// </summary>
    public static string Integer(string written)
    {
        string digits = written.Replace(",", "", StringComparison.Ordinal);
        if ((digits.Length > 1 && digits[0] == '0') || digits.Length > MaxCardinalDigits)
            return Digits(digits);
        return Cardinal(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>"305" → "three zero five".</summary>
    public static string Digits(string digits) => string.Join(' ', digits.Select(d => Cardinal(d - '0')));

    /// <summary>
    /// A match of <see cref="Sign"/> and <see cref="Unsigned"/> (or of a bare fraction <c>frac</c>) in words:
    /// "-1,234.05" → "minus one thousand two hundred thirty-four point zero five", "+1" → "plus one".
    /// </summary>
    public static string Number(Match m)
    {
        Group integer = m.Groups["int"], fraction = m.Groups["frac"];
        string words = integer.Success ? Integer(integer.Value) : "";
        if (fraction.Success)
            words = (words.Length > 0 ? words + " point " : "point ") + Digits(fraction.Value);
        return SignWords(m) + words;
    }

    /// <summary>The words for a match's <see cref="Sign"/>: "", "minus " or "plus ".</summary>
    public static string SignWords(Match m)
    {
        Group sign = m.Groups["sign"];
        return !sign.Success ? "" : sign.Value == "+" ? "plus " : "minus ";
    }

    /// <summary>"twenty-one" → "twenty-first", "one hundred" → "one hundredth", "twelve" → "twelfth".</summary>
    public static string Ordinal(string cardinal)
    {
        int split = cardinal.AsSpan().LastIndexOfAny(' ', '-') + 1;
        string last = cardinal[split..];
        string ordinal = IrregularOrdinals.TryGetValue(last, out string? irregular) ? irregular
            : last.EndsWith('y') ? last[..^1] + "ieth"
            : last + "th";
        return cardinal[..split] + ordinal;
    }

    /// <summary>
    /// A year as people say it: 1999 → "nineteen ninety-nine", 1900 → "nineteen hundred", 1905 → "nineteen oh five",
    /// 2005 → "two thousand five", 2010 → "twenty ten". For 1000 to 9999.
    /// </summary>
    public static string Year(int year)
    {
        int high = year / 100, low = year % 100;
        if (high % 10 == 0 && low < 10)
            return Cardinal(year);                              // 2000 to 2009, 1000 to 1009
        if (low == 0)
            return $"{Cardinal(high)} hundred";
        return low < 10 ? $"{Cardinal(high)} oh {Cardinal(low)}" : $"{Cardinal(high)} {Cardinal(low)}";
    }

    /// <summary>The plural of a number's last word, for decades: "nineteen ninety" → "nineteen nineties".</summary>
    public static string Plural(string words) => words.EndsWith('y') ? words[..^1] + "ies" : words + "s";
}
