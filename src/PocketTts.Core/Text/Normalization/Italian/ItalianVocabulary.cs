using Humanizer;

namespace PocketTts.Text.Normalization.Italian;

/// <summary>Italian currencies, units, titles, abbreviations and months.</summary>
internal sealed partial class ItalianRules
{
    public override IReadOnlyDictionary<string, Currency> Currencies { get; } = new Dictionary<string, Currency>(StringComparer.Ordinal)
    {
        ["€"] = new(new("euro", "euro"), new("centesimo", "centesimi")),
        ["$"] = new(new("dollaro", "dollari"), new("centesimo", "centesimi")),
        ["£"] = new(new("sterlina", "sterline", GrammaticalGender.Feminine), new("penny", "pence")),
    };

    public override IReadOnlyDictionary<string, Noun> Units { get; } = new Dictionary<string, Noun>(StringComparer.Ordinal)
    {
        ["km"] = new("chilometro", "chilometri"),
        ["m"] = new("metro", "metri"),
        ["cm"] = new("centimetro", "centimetri"),
        ["mm"] = new("millimetro", "millimetri"),
        ["kg"] = new("chilogrammo", "chilogrammi"),
        ["g"] = new("grammo", "grammi"),
        ["mg"] = new("milligrammo", "milligrammi"),
        ["t"] = new("tonnellata", "tonnellate", GrammaticalGender.Feminine),
        ["l"] = new("litro", "litri"),
        ["L"] = new("litro", "litri"),
        ["ml"] = new("millilitro", "millilitri"),
        ["km/h"] = new("chilometro orario", "chilometri orari"),
        ["°C"] = new("grado Celsius", "gradi Celsius"),
        ["°F"] = new("grado Fahrenheit", "gradi Fahrenheit"),
        ["°"] = new("grado", "gradi"),
        ["h"] = new("ora", "ore", GrammaticalGender.Feminine),
        ["min"] = new("minuto", "minuti"),
        ["GB"] = new("gigabyte", "gigabyte"),
        ["MB"] = new("megabyte", "megabyte"),
    };

    public override IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Sig."] = "signor",
        ["Sig.ra"] = "signora",
        ["Sigg."] = "signori",
        ["Dott."] = "dottor",
        ["Dott.ssa"] = "dottoressa",
        ["Prof."] = "professor",
        ["Prof.ssa"] = "professoressa",
        ["Avv."] = "avvocato",
        ["Ing."] = "ingegner",
    };

    public override IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; } = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
    {
        ["ecc."] = ("eccetera", true),
        ["etc."] = ("eccetera", true),
        ["per es."] = ("per esempio", false),
        ["ca."] = ("circa", false),
        ["n°"] = ("numero", false),
        ["nº"] = ("numero", false),
        ["pag."] = ("pagina", false),
        ["tel."] = ("telefono", false),
        ["a.C."] = ("avanti Cristo", true),
        ["d.C."] = ("dopo Cristo", true),
    };

    public override IReadOnlyList<string> Months { get; } =
        ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];
}
