namespace PocketTts.Text.Normalization.Dutch;

/// <summary>Dutch currencies, units, titles, abbreviations and months. Units and currencies keep their singular after numbers ("vijf euro").</summary>
internal sealed partial class DutchRules
{
    public override IReadOnlyDictionary<string, Currency> Currencies { get; } = new Dictionary<string, Currency>(StringComparer.Ordinal)
    {
        ["€"] = new(new("euro", "euro"), new("cent", "cent")),
        ["$"] = new(new("dollar", "dollar"), new("cent", "cent")),
        ["£"] = new(new("pond", "pond"), new("penny", "pence")),
    };

    public override IReadOnlyDictionary<string, Noun> Units { get; } = new Dictionary<string, Noun>(StringComparer.Ordinal)
    {
        ["km"] = new("kilometer", "kilometer"),
        ["m"] = new("meter", "meter"),
        ["cm"] = new("centimeter", "centimeter"),
        ["mm"] = new("millimeter", "millimeter"),
        ["kg"] = new("kilogram", "kilogram"),
        ["g"] = new("gram", "gram"),
        ["mg"] = new("milligram", "milligram"),
        ["t"] = new("ton", "ton"),
        ["l"] = new("liter", "liter"),
        ["L"] = new("liter", "liter"),
        ["ml"] = new("milliliter", "milliliter"),
        ["km/u"] = new("kilometer per uur", "kilometer per uur"),
        ["km/h"] = new("kilometer per uur", "kilometer per uur"),
        ["°C"] = new("graad Celsius", "graden Celsius"),
        ["°F"] = new("graad Fahrenheit", "graden Fahrenheit"),
        ["°"] = new("graad", "graden"),
        ["min"] = new("minuut", "minuten"),
        ["GB"] = new("gigabyte", "gigabyte"),
        ["MB"] = new("megabyte", "megabyte"),
    };

    public override IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dhr."] = "de heer",
        ["Dhr."] = "de heer",
        ["mevr."] = "mevrouw",
        ["Mevr."] = "mevrouw",
        ["dr."] = "doctor",
        ["Dr."] = "doctor",
        ["prof."] = "professor",
        ["Prof."] = "professor",
    };

    public override IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; } = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
    {
        ["bijv."] = ("bijvoorbeeld", false),
        ["enz."] = ("enzovoort", true),
        ["etc."] = ("et cetera", true),
        ["d.w.z."] = ("dat wil zeggen", false),
        ["o.a."] = ("onder andere", false),
        ["nr."] = ("nummer", false),
        ["Nr."] = ("nummer", false),
        ["ca."] = ("circa", false),
        ["blz."] = ("bladzijde", false),
        ["m.b.t."] = ("met betrekking tot", false),
        ["i.p.v."] = ("in plaats van", false),
        ["a.u.b."] = ("alstublieft", true),
        ["v.Chr."] = ("voor Christus", true),
        ["n.Chr."] = ("na Christus", true),
    };

    public override IReadOnlyList<string> Months { get; } =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
}
