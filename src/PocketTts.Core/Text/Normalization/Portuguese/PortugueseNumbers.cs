using System.Globalization;
using Humanizer;

namespace PocketTts.Text.Normalization.Portuguese;

/// <summary>
/// How Portuguese writes and says numbers, beyond Humanizer's words (Brazilian: "dezesseis", "um bilhão"):
/// "1.234,5" (a period groups thousands), "1º" and "1ª" ("primeiro", "primeira"), "uma libra" and "duas horas",
/// "R$ 10,50" → "dez reais e cinquenta centavos", "10h30" and "10:30" → "dez horas e trinta", "1/5/2024" →
/// "primeiro de maio de dois mil e vinte e quatro", "um milhão de reais".
/// </summary>
internal sealed partial class PortugueseRules : LanguageRules
{
    public override CultureInfo Culture { get; } = new NumberWordsCulture("pt-BR");

    public override string GroupSeparators => ".\u00A0\u202F";

    public override string DecimalWord => "vírgula";

    public override string MinusWord => "menos";

    public override string PercentWords => "por cento";

    public override string CentsJoin => "e";

    public override string OrdinalMarks => @"\.?(?:º|(?<fem>ª))";

    public override bool HourLetter => true;

    /// <summary>Humanizer's Portuguese words stop at twelve digits (it throws for some of thirteen).</summary>
    public override int MaxCardinalDigits => 12;

    public override IReadOnlyList<string> LargeNumberWords { get; } = ["milhão", "milhões", "bilhão", "bilhões"];

    public override string LargeAmount(string words, string noun) => $"{words} de {noun}";

    public override string Cardinal(long n) => WithRoundHundreds(n, m => m.ToWords(Culture));

    public override string Counted(long n, GrammaticalGender gender) => WithRoundHundreds(n, m => m.ToWords(gender, Culture));

    /// <summary>
    /// Portuguese joins round hundreds to the thousands with "e" ("mil e quinhentos", "dois mil e trezentos"), which
    /// Humanizer leaves out; every other "e" is Humanizer's.
    /// </summary>
    private static string WithRoundHundreds(long n, Func<long, string> words)
    {
        long hundreds = n % 1000;
        return n > 1000 && hundreds != 0 && hundreds % 100 == 0 ? $"{words(n - hundreds)} e {words(hundreds)}" : words(n);
    }

    /// <summary>Hours are feminine: "uma hora", "duas horas e quinze".</summary>
    public override string Time(int hour, int minute)
    {
        string words = $"{Counted(hour, GrammaticalGender.Feminine)} {(hour == 1 ? "hora" : "horas")}";
        return minute == 0 ? words : $"{words} e {Cardinal(minute)}";
    }

    public override string Date(int day, int month, int year, string before) => $"{DayOfMonth(day, before)} de {Months[month - 1]} de {Year(year)}";

    /// <summary>"primeiro de maio", "dois de maio".</summary>
    public override string DayOfMonth(int day, string before) => day == 1 ? "primeiro" : Cardinal(day);
}
