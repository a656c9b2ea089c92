using System.Globalization;
using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// Spells out the numerals left after money, times and measures: percentages, ordinals ("22nd"), decades
/// ("1990s"), years, dotted versions ("1.2.3") and plain numbers ("-1,234.5").
/// </summary>
/// <remarks>
/// A four-digit number from 1100 to 2099 without separators is read as a year ("1999", "in 2010"), and from 1000
/// to 1099 too after "in", "since" or "year" ("in 1066"); "1,999" and "1999.5" are plain numbers. A range of two
/// years reads "to" for its dash ("1939-1945").
/// </remarks>
internal static partial class EnglishNumerals
{
    private const int FirstYear = 1100, FirstEarlyYear = 1000, LastYear = 2099;

    public static string Apply(string text)
    {
        text = SpokenReplacement.Replace(Percent(), text, (_, m) => EnglishNumbers.Number(m) + " percent");
        text = SpokenReplacement.Replace(Ordinal(), text, (_, m) => EnglishNumbers.Ordinal(EnglishNumbers.Integer(m.Groups["int"].Value)));
        text = SpokenReplacement.Replace(Decade(), text, (_, m) => EnglishNumbers.Plural(DecadeWords(m.Groups["decade"].Value)));
        text = SpokenReplacement.Replace(Year(), text, Years);
        text = SpokenReplacement.Replace(Dotted(), text, (_, m) => string.Join(" point ", m.Value.Split('.').Select(EnglishNumbers.Integer)));
        return SpokenReplacement.Replace(Number(), text, (_, m) => EnglishNumbers.Number(m));
    }

    private static string DecadeWords(string written)
    {
        int value = int.Parse(written, NumberStyles.None, CultureInfo.InvariantCulture);
        return value < 100 ? EnglishNumbers.Cardinal(value) : EnglishNumbers.Year(value);
    }

    private static string Years(string text, Match m)
    {
        Group context = m.Groups["context"];
        int from = int.Parse(m.Groups["year"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        int to = m.Groups["to"].Success ? int.Parse(m.Groups["to"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        int first = context.Success ? FirstEarlyYear : FirstYear;
        if (from < first || (to != 0 && to is < FirstEarlyYear or > LastYear))
            return m.Value;
        string years = to == 0 ? EnglishNumbers.Year(from) : $"{EnglishNumbers.Year(from)} to {EnglishNumbers.Year(to)}";
        return context.Value + years;
    }

    [GeneratedRegex(EnglishNumbers.Sign + @"(?<![\p{L}\p{N}.,])" + EnglishNumbers.Unsigned + @"\s?%", RegexOptions.CultureInvariant)]
    private static partial Regex Percent();

    [GeneratedRegex(@"(?<![\p{L}\p{N}.,])(?<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:st|nd|rd|th)(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"(?<![\p{L}\p{N}.,])'?(?<decade>[1-9]0|1[1-9][0-9]0|20[0-9]0)'?s(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex Decade();

    // An optional context word that admits 1000 to 1099; then a year not after a letter, digit, separator or
    // word-initial minus sign, and not followed by more digits or a fraction.
    [GeneratedRegex(@"(?<context>(?<![\p{L}])(?:[Ii]n|[Ss]ince|[Yy]ear)\s+)?(?<![\p{L}\p{N}.,]|(?:^|[\s(\[{""'/])[-−])(?<year>1[0-9]{3}|20[0-9]{2})(?:[-–](?<to>1[0-9]{3}|20[0-9]{2}))?(?![\p{L}\p{N}]|[.,][0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"(?<![\p{L}\p{N}.])[0-9]+(?:\.[0-9]+){2,}(?![\p{N}]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Dotted();

    [GeneratedRegex(EnglishNumbers.Sign + @"(?:(?<![\p{N}])" + EnglishNumbers.Unsigned + @"|(?<=^|[\s(])\.(?<frac>[0-9]+))", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
