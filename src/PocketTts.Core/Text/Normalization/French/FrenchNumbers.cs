using System.Globalization;
using Humanizer;

namespace PocketTts.Text.Normalization.French;

/// <summary>
/// How French writes and says numbers, beyond Humanizer's words: "1 234,5" (a space groups thousands), "1er",
/// "1re", "2e", "2ème"; "10h30" and "10:30" → "dix heures trente", "21 h" → "vingt et une heures"; "1/5/2024" →
/// "premier mai deux mille vingt-quatre"; "un million d'euros".
/// </summary>
internal sealed partial class FrenchRules : LanguageRules
{
    public override CultureInfo Culture { get; } = new NumberWordsCulture("fr");

    public override string GroupSeparators => " \u00A0\u202F";

    public override string DecimalWord => "virgule";

    public override string MinusWord => "moins";

    public override string PercentWords => "pour cent";

    public override string CentsJoin => "et";

    // "re"/"ère" before "er" and "e" before "ème", so each mark is read whole.
    public override string OrdinalMarks => "(?<fem>re|ère)|er|ème|e";

    public override bool HourLetter => true;

    public override IReadOnlyList<string> LargeNumberWords { get; } = ["million", "millions", "milliard", "milliards"];

    /// <summary>"un million d'euros", "deux milliards de dollars".</summary>
    public override string LargeAmount(string words, string noun) =>
        "aeiouéèêh".Contains(noun[0], StringComparison.Ordinal) ? $"{words} d'{noun}" : $"{words} de {noun}";

    /// <summary>Hours are feminine: "une heure", "vingt et une heures cinq".</summary>
    public override string Time(int hour, int minute)
    {
        string words = $"{Counted(hour, GrammaticalGender.Feminine)} {(hour <= 1 ? "heure" : "heures")}";
        return minute == 0 ? words : $"{words} {Counted(minute, GrammaticalGender.Feminine)}";
    }

    /// <summary>"le premier mai", "le deux mai".</summary>
    public override string DayOfMonth(int day, string before) => day == 1 ? "premier" : Cardinal(day);
}
