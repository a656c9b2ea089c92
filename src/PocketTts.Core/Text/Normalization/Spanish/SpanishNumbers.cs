using System.Globalization;
using Humanizer;

namespace PocketTts.Text.Normalization.Spanish;

/// <summary>
/// How Spanish writes and says numbers, beyond Humanizer's words: "1.234,5" or "1 234,5", "1.º", "1º", "1.ª" and
/// "1.er" ("primero", "primera", "primer"), "un euro" and "veintiún euros" before a masculine noun, "una libra",
/// "10:30" → "diez y treinta", "10:00" → "diez en punto", "3/5/2024" → "tres de mayo de dos mil veinticuatro", "un
/// millón de euros".
/// </summary>
internal sealed partial class SpanishRules : LanguageRules
{
    public override CultureInfo Culture { get; } = new NumberWordsCulture("es");

    public override string GroupSeparators => ". \u00A0\u202F";

    public override string DecimalWord => "coma";

    public override string MinusWord => "menos";

    public override string PercentWords => "por ciento";

    public override string CentsJoin => "con";

    public override string OrdinalMarks => @"\.?(?:º|(?<fem>ª)|er)";

    public override IReadOnlyList<string> LargeNumberWords { get; } = ["millón", "millones"];

    public override string LargeAmount(string words, string noun) => $"{words} de {noun}";

    /// <summary>Before a masculine noun the short form ("un", "veintiún"); before a feminine one "una", "veintiuna".</summary>
    public override string Counted(long n, GrammaticalGender gender) =>
        n.ToWords(gender == GrammaticalGender.Feminine ? WordForm.Normal : WordForm.Abbreviation, gender, Culture);

    /// <summary>"1.er" and "3er" are the short forms before a noun: "primer", "tercer".</summary>
    public override string Ordinal(int n, GrammaticalGender gender, string mark, string before) =>
        n.ToOrdinalWords(gender, mark.EndsWith("er", StringComparison.Ordinal) ? WordForm.Abbreviation : WordForm.Normal, Culture);

    /// <summary>Hours are feminine ("la una"): "una y quince", "diez en punto".</summary>
    public override string Time(int hour, int minute)
    {
        string words = hour.ToWords(GrammaticalGender.Feminine, Culture);
        return minute == 0 ? $"{words} en punto" : $"{words} y {Cardinal(minute)}";
    }

    public override string Date(int day, int month, int year, string before) => $"{DayOfMonth(day, before)} de {Months[month - 1]} de {Year(year)}";
}
