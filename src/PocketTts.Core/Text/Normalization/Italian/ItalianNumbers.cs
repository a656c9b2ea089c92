using System.Globalization;
using Humanizer;

namespace PocketTts.Text.Normalization.Italian;

/// <summary>
/// How Italian writes and says numbers, beyond Humanizer's words: "1.234,5" (a period groups thousands), "1º" and
/// "1ª" ("primo", "prima"), "un euro" and "una sterlina", "10:30" → "dieci e trenta", "1/5/2024" → "primo maggio
/// duemilaventiquattro", "un milione di euro".
/// </summary>
internal sealed partial class ItalianRules : LanguageRules
{
    public override CultureInfo Culture { get; } = new NumberWordsCulture("it");

    public override string GroupSeparators => ".\u00A0\u202F";

    public override string DecimalWord => "virgola";

    public override string MinusWord => "meno";

    public override string PercentWords => "per cento";

    public override string CentsJoin => "e";

    public override string OrdinalMarks => "º|(?<fem>ª)";

    /// <summary>Humanizer's Italian words stop at nine digits (it throws for some of ten).</summary>
    public override int MaxCardinalDigits => 9;

    public override IReadOnlyList<string> LargeNumberWords { get; } = ["milione", "milioni", "miliardo", "miliardi"];

    public override string LargeAmount(string words, string noun) => $"{words} di {noun}";

    /// <summary>"un euro", "una sterlina" ("uno" is the number on its own).</summary>
    public override string Counted(long n, GrammaticalGender gender) =>
        n != 1 ? Cardinal(n) : gender == GrammaticalGender.Feminine ? "una" : "un";

    /// <summary>"dieci e trenta", "l'una": hours agree with the feminine "ore".</summary>
    public override string Time(int hour, int minute)
    {
        string words = hour == 1 ? "una" : Cardinal(hour);
        return minute == 0 ? words : $"{words} e {Cardinal(minute)}";
    }

    /// <summary>"il primo maggio", "il due maggio".</summary>
    public override string DayOfMonth(int day, string before) => day == 1 ? "primo" : Cardinal(day);
}
