using System.Globalization;

namespace PocketTts.Text.Normalization.Dutch;

/// <summary>
/// How Dutch writes and says numbers, beyond Humanizer's words: "1.234,5" (a period groups thousands), "1e",
/// "1ste", "2de" ("eerste", "tweede"), years in hundreds ("1999" → "negentienhonderdnegenennegentig"), "10:30 uur"
/// → "tien uur dertig", "3-5-2024" → "drie mei tweeduizend vierentwintig".
/// </summary>
internal sealed partial class DutchRules : LanguageRules
{
    private const int FirstHundredsYear = 1100, LastHundredsYear = 1999;

    public override CultureInfo Culture { get; } = new NumberWordsCulture("nl");

    public override string GroupSeparators => ".\u00A0\u202F";

    public override string DecimalWord => "komma";

    public override string MinusWord => "min";

    public override string PercentWords => "procent";

    public override string CentsJoin => "en";

    public override string OrdinalMarks => "ste|de|e";

    public override string? ClockWord => "uur";

    public override string Year(int year) => year is < FirstHundredsYear or > LastHundredsYear
        ? Cardinal(year)
        : Cardinal(year / 100) + "honderd" + (year % 100 == 0 ? "" : Cardinal(year % 100));

    public override string Time(int hour, int minute) => minute == 0 ? $"{Cardinal(hour)} uur" : $"{Cardinal(hour)} uur {Cardinal(minute)}";
}
