using Humanizer;

namespace PocketTts.Text.Normalization.French;

/// <summary>French currencies, units, titles, abbreviations and months.</summary>
internal sealed partial class FrenchRules
{
    public override IReadOnlyDictionary<string, Currency> Currencies { get; } = new Dictionary<string, Currency>(StringComparer.Ordinal)
    {
        ["€"] = new(new("euro", "euros"), new("centime", "centimes")),
        ["$"] = new(new("dollar", "dollars"), new("cent", "cents")),
        ["£"] = new(new("livre", "livres", GrammaticalGender.Feminine), new("penny", "pence")),
    };

    public override IReadOnlyDictionary<string, Noun> Units { get; } = new Dictionary<string, Noun>(StringComparer.Ordinal)
    {
        ["km"] = new("kilomètre", "kilomètres"),
        ["m"] = new("mètre", "mètres"),
        ["cm"] = new("centimètre", "centimètres"),
        ["mm"] = new("millimètre", "millimètres"),
        ["kg"] = new("kilogramme", "kilogrammes"),
        ["g"] = new("gramme", "grammes"),
        ["mg"] = new("milligramme", "milligrammes"),
        ["t"] = new("tonne", "tonnes", GrammaticalGender.Feminine),
        ["l"] = new("litre", "litres"),
        ["L"] = new("litre", "litres"),
        ["ml"] = new("millilitre", "millilitres"),
        ["cl"] = new("centilitre", "centilitres"),
        ["km/h"] = new("kilomètre à l'heure", "kilomètres à l'heure"),
        ["°C"] = new("degré Celsius", "degrés Celsius"),
        ["°F"] = new("degré Fahrenheit", "degrés Fahrenheit"),
        ["°"] = new("degré", "degrés"),
        ["min"] = new("minute", "minutes", GrammaticalGender.Feminine),
        ["ms"] = new("milliseconde", "millisecondes", GrammaticalGender.Feminine),
        ["Ko"] = new("kilooctet", "kilooctets"),
        ["Mo"] = new("mégaoctet", "mégaoctets"),
        ["Go"] = new("gigaoctet", "gigaoctets"),
        ["kWh"] = new("kilowattheure", "kilowattheures"),
    };

    public override IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["M."] = "monsieur",
        ["MM."] = "messieurs",
        ["Mme"] = "madame",
        ["Mmes"] = "mesdames",
        ["Mlle"] = "mademoiselle",
        ["Dr"] = "docteur",
        ["Dr."] = "docteur",
        ["Pr"] = "professeur",
    };

    public override IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; } = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
    {
        ["etc."] = ("et cetera", true),
        ["p. ex."] = ("par exemple", false),
        ["c.-à-d."] = ("c'est-à-dire", false),
        ["env."] = ("environ", false),
        ["n°"] = ("numéro", false),
        ["nº"] = ("numéro", false),
        ["N°"] = ("numéro", false),
        ["av. J.-C."] = ("avant Jésus-Christ", true),
        ["apr. J.-C."] = ("après Jésus-Christ", true),
        ["tél."] = ("téléphone", false),
    };

    public override IReadOnlyList<string> Months { get; } =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
}
