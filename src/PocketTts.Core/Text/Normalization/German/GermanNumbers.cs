using System.Globalization;
using System.Text.RegularExpressions;
using Humanizer;

namespace PocketTts.Text.Normalization.German;

/// <summary>
/// How German writes and says numbers, beyond Humanizer's words: "1.234,5" (a period groups thousands), decimals
/// read digit by digit ("3,14" → "drei Komma eins vier"), years in hundreds ("1999" → "neunzehnhundertneunundneunzig"),
/// "10:30 Uhr" → "zehn Uhr dreißig", and the day before a month ("3. Mai", "03.05.2024") as an ordinal: "dritter Mai",
/// "der dritte Mai" after an article, "am dritten Mai" in the dative after "am", "vom", "zum".
/// </summary>
internal sealed partial class GermanRules : LanguageRules
{
    private const int FirstHundredsYear = 1100, LastHundredsYear = 1999;

    public override CultureInfo Culture { get; } = new NumberWordsCulture("de");

    public override string GroupSeparators => ".\u00A0\u202F";

    public override string DecimalWord => "Komma";

    public override string MinusWord => "minus";

    public override string PercentWords => "Prozent";

    public override string CentsJoin => "und";

    // An ordinal is written "3." and is only unambiguous before a month name.
    public override string OrdinalMarks => $@"\.(?=\s+(?:{string.Join('|', Months)})(?![\p{{L}}]))";

    public override string? ClockWord => "Uhr";

    /// <summary>"ein Euro", "eine Stunde"; from two on the cardinal.</summary>
    public override string Counted(long n, GrammaticalGender gender) =>
        n != 1 ? Cardinal(n) : gender == GrammaticalGender.Feminine ? "eine" : "ein";

    public override string Ordinal(int n, GrammaticalGender gender, string mark, string before) => DayOfMonth(n, before);

    /// <summary>"dritter Mai"; "der dritte Mai"; "am dritten Mai".</summary>
    public override string DayOfMonth(int day, string before)
    {
        string ordinal = day.ToOrdinalWords(GrammaticalGender.Masculine, Culture);
        return DativeBefore().IsMatch(before) ? ordinal[..^1] + "n"
            : ArticleBefore().IsMatch(before) ? ordinal[..^1]
            : ordinal;
    }

    public override string Year(int year) => year is < FirstHundredsYear or > LastHundredsYear
        ? Cardinal(year)
        : Cardinal(year / 100) + "hundert" + (year % 100 == 0 ? "" : Cardinal(year % 100));

    /// <summary>German reads the digits after the decimal mark one by one.</summary>
    public override string Fraction(string digits) => string.Join(' ', digits.Select(d => Cardinal(d - '0')));

    public override string Time(int hour, int minute)
    {
        string words = $"{Counted(hour, GrammaticalGender.Neuter)} Uhr";
        return minute == 0 ? words : $"{words} {Cardinal(minute)}";
    }

    [GeneratedRegex(@"(?<![\p{L}])(?:[Aa]m|[Vv]om|[Zz]um|[Bb]is zum|[Ss]eit dem|[Aa]b dem)\s+$", RegexOptions.CultureInvariant)]
    private static partial Regex DativeBefore();

    [GeneratedRegex(@"(?<![\p{L}])[Dd](?:er|ie|as)\s+$", RegexOptions.CultureInvariant)]
    private static partial Regex ArticleBefore();
}
