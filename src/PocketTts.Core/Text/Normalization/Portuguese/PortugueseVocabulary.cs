using Humanizer;

namespace PocketTts.Text.Normalization.Portuguese;

/// <summary>Portuguese currencies, units, titles, abbreviations and months.</summary>
internal sealed partial class PortugueseRules
{
    public override IReadOnlyDictionary<string, Currency> Currencies { get; } = new Dictionary<string, Currency>(StringComparer.Ordinal)
    {
        ["R$"] = new(new("real", "reais"), new("centavo", "centavos")),
        ["€"] = new(new("euro", "euros"), new("cêntimo", "cêntimos")),
        ["$"] = new(new("dólar", "dólares"), new("centavo", "centavos")),
        ["£"] = new(new("libra", "libras", GrammaticalGender.Feminine), new("pêni", "pence")),
    };

    public override IReadOnlyDictionary<string, Noun> Units { get; } = new Dictionary<string, Noun>(StringComparer.Ordinal)
    {
        ["km"] = new("quilômetro", "quilômetros"),
        ["m"] = new("metro", "metros"),
        ["cm"] = new("centímetro", "centímetros"),
        ["mm"] = new("milímetro", "milímetros"),
        ["kg"] = new("quilograma", "quilogramas"),
        ["g"] = new("grama", "gramas"),
        ["mg"] = new("miligrama", "miligramas"),
        ["t"] = new("tonelada", "toneladas", GrammaticalGender.Feminine),
        ["l"] = new("litro", "litros"),
        ["L"] = new("litro", "litros"),
        ["ml"] = new("mililitro", "mililitros"),
        ["km/h"] = new("quilômetro por hora", "quilômetros por hora"),
        ["°C"] = new("grau Celsius", "graus Celsius"),
        ["°F"] = new("grau Fahrenheit", "graus Fahrenheit"),
        ["°"] = new("grau", "graus"),
        ["min"] = new("minuto", "minutos"),
        ["GB"] = new("gigabyte", "gigabytes"),
        ["MB"] = new("megabyte", "megabytes"),
    };

    public override IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Sr."] = "senhor",
        ["Sra."] = "senhora",
        ["Srta."] = "senhorita",
        ["Dr."] = "doutor",
        ["Dra."] = "doutora",
        ["Prof."] = "professor",
        ["Profa."] = "professora",
    };

    public override IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; } = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
    {
        ["etc."] = ("et cetera", true),
        ["p. ex."] = ("por exemplo", false),
        ["nº"] = ("número", false),
        ["n.º"] = ("número", false),
        ["pág."] = ("página", false),
        ["aprox."] = ("aproximadamente", false),
        ["tel."] = ("telefone", false),
        ["a.C."] = ("antes de Cristo", true),
        ["d.C."] = ("depois de Cristo", true),
    };

    public override IReadOnlyList<string> Months { get; } =
        ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];
}
