using Humanizer;

namespace PocketTts.Text.Normalization.German;

/// <summary>German currencies, units, titles, abbreviations and months. Units of measure keep their singular after numbers ("fünf Kilometer").</summary>
internal sealed partial class GermanRules
{
    public override IReadOnlyDictionary<string, Currency> Currencies { get; } = new Dictionary<string, Currency>(StringComparer.Ordinal)
    {
        ["€"] = new(new("Euro", "Euro"), new("Cent", "Cent")),
        ["$"] = new(new("Dollar", "Dollar"), new("Cent", "Cent")),
        ["£"] = new(new("Pfund", "Pfund", GrammaticalGender.Neuter), new("Penny", "Pence")),
    };

    public override IReadOnlyDictionary<string, Noun> Units { get; } = new Dictionary<string, Noun>(StringComparer.Ordinal)
    {
        ["km"] = new("Kilometer", "Kilometer"),
        ["m"] = new("Meter", "Meter"),
        ["cm"] = new("Zentimeter", "Zentimeter"),
        ["mm"] = new("Millimeter", "Millimeter"),
        ["kg"] = new("Kilogramm", "Kilogramm", GrammaticalGender.Neuter),
        ["g"] = new("Gramm", "Gramm", GrammaticalGender.Neuter),
        ["mg"] = new("Milligramm", "Milligramm", GrammaticalGender.Neuter),
        ["t"] = new("Tonne", "Tonnen", GrammaticalGender.Feminine),
        ["l"] = new("Liter", "Liter"),
        ["L"] = new("Liter", "Liter"),
        ["ml"] = new("Milliliter", "Milliliter"),
        ["km/h"] = new("Kilometer pro Stunde", "Kilometer pro Stunde"),
        ["°C"] = new("Grad Celsius", "Grad Celsius", GrammaticalGender.Neuter),
        ["°F"] = new("Grad Fahrenheit", "Grad Fahrenheit", GrammaticalGender.Neuter),
        ["°"] = new("Grad", "Grad", GrammaticalGender.Neuter),
        ["Std."] = new("Stunde", "Stunden", GrammaticalGender.Feminine),
        ["h"] = new("Stunde", "Stunden", GrammaticalGender.Feminine),
        ["min"] = new("Minute", "Minuten", GrammaticalGender.Feminine),
        ["Min."] = new("Minute", "Minuten", GrammaticalGender.Feminine),
        ["KB"] = new("Kilobyte", "Kilobyte", GrammaticalGender.Neuter),
        ["MB"] = new("Megabyte", "Megabyte", GrammaticalGender.Neuter),
        ["GB"] = new("Gigabyte", "Gigabyte", GrammaticalGender.Neuter),
    };

    public override IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Hr."] = "Herr",
        ["Hrn."] = "Herrn",
        ["Fr."] = "Frau",
        ["Dr."] = "Doktor",
        ["Prof."] = "Professor",
        ["St."] = "Sankt",
    };

    public override IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; } = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
    {
        ["z. B."] = ("zum Beispiel", false),
        ["z.B."] = ("zum Beispiel", false),
        ["usw."] = ("und so weiter", true),
        ["etc."] = ("et cetera", true),
        ["bzw."] = ("beziehungsweise", false),
        ["d. h."] = ("das heißt", false),
        ["d.h."] = ("das heißt", false),
        ["u. a."] = ("unter anderem", false),
        ["u.a."] = ("unter anderem", false),
        ["ca."] = ("circa", false),
        ["Nr."] = ("Nummer", false),
        ["evtl."] = ("eventuell", false),
        ["ggf."] = ("gegebenenfalls", false),
        ["inkl."] = ("inklusive", false),
        ["Str."] = ("Straße", true),
        ["v. Chr."] = ("vor Christus", true),
        ["n. Chr."] = ("nach Christus", true),
    };

    public override IReadOnlyList<string> Months { get; } =
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
}
