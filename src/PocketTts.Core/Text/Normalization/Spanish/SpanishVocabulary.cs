using Humanizer;

namespace PocketTts.Text.Normalization.Spanish;

/// <summary>Spanish currencies, units, titles, abbreviations and months.</summary>
internal sealed partial class SpanishRules
{
    public override IReadOnlyDictionary<string, Currency> Currencies { get; } = new Dictionary<string, Currency>(StringComparer.Ordinal)
    {
        ["€"] = new(new("euro", "euros"), new("céntimo", "céntimos")),
        ["$"] = new(new("dólar", "dólares"), new("centavo", "centavos")),
        ["£"] = new(new("libra", "libras", GrammaticalGender.Feminine), new("penique", "peniques")),
    };

    public override IReadOnlyDictionary<string, Noun> Units { get; } = new Dictionary<string, Noun>(StringComparer.Ordinal)
    {
        ["km"] = new("kilómetro", "kilómetros"),
        ["m"] = new("metro", "metros"),
        ["cm"] = new("centímetro", "centímetros"),
        ["mm"] = new("milímetro", "milímetros"),
        ["kg"] = new("kilogramo", "kilogramos"),
        ["g"] = new("gramo", "gramos"),
        ["mg"] = new("miligramo", "miligramos"),
        ["t"] = new("tonelada", "toneladas", GrammaticalGender.Feminine),
        ["l"] = new("litro", "litros"),
        ["L"] = new("litro", "litros"),
        ["ml"] = new("mililitro", "mililitros"),
        ["km/h"] = new("kilómetro por hora", "kilómetros por hora"),
        ["°C"] = new("grado Celsius", "grados Celsius"),
        ["°F"] = new("grado Fahrenheit", "grados Fahrenheit"),
        ["°"] = new("grado", "grados"),
        ["h"] = new("hora", "horas", GrammaticalGender.Feminine),
        ["min"] = new("minuto", "minutos"),
        ["GB"] = new("gigabyte", "gigabytes"),
        ["MB"] = new("megabyte", "megabytes"),
    };

    public override IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Sr."] = "señor",
        ["Sra."] = "señora",
        ["Srta."] = "señorita",
        ["Dr."] = "doctor",
        ["Dra."] = "doctora",
        ["Dña."] = "doña",
        ["Prof."] = "profesor",
    };

    public override IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; } = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
    {
        ["etc."] = ("etcétera", true),
        ["p. ej."] = ("por ejemplo", false),
        ["Ud."] = ("usted", true),
        ["Uds."] = ("ustedes", true),
        ["aprox."] = ("aproximadamente", false),
        ["pág."] = ("página", false),
        ["núm."] = ("número", false),
        ["n.º"] = ("número", false),
        ["nº"] = ("número", false),
        ["EE. UU."] = ("Estados Unidos", true),
        ["EE.UU."] = ("Estados Unidos", true),
        ["a. C."] = ("antes de Cristo", true),
        ["d. C."] = ("después de Cristo", true),
    };

    public override IReadOnlyList<string> Months { get; } =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
}
