namespace PocketTts.Text.Normalization;

/// <summary>
/// The text normaliser of each language the model speaks: each spells out numbers (cardinals, ordinals, decimals,
/// negatives, thousands separators as the language writes them), currency, percentages, times, dates, common
/// abbreviations and units, with number words from Humanizer (docs/text.md lists what each covers). All normalisers
/// are stateless and thread-safe.
/// </summary>
public static class TextNormalizers
{
    /// <summary>Spells out numbers, currency, percentages, times, units and common abbreviations in English.</summary>
    public static ITextNormalizer English { get; } = new EnglishNormalizer();

    /// <summary>French: "1 234,5", "21", "71", "1er", "3,50 €", "10h30", "M. Dupont".</summary>
    public static ITextNormalizer French { get; } = new LanguageNormalizer(new Normalization.French.FrenchRules());

    /// <summary>German: "1.234,5", "3. Mai", "10:30 Uhr", "1999", "z. B.".</summary>
    public static ITextNormalizer German { get; } = new LanguageNormalizer(new Normalization.German.GermanRules());

    /// <summary>Italian: "1.234,5", "1º", "1ª", "3,50 €", "Sig.ra Rossi".</summary>
    public static ITextNormalizer Italian { get; } = new LanguageNormalizer(new Normalization.Italian.ItalianRules());

    /// <summary>Portuguese (Brazilian words): "1.234,5", "1º", "1ª", "R$ 10,50", "10h30".</summary>
    public static ITextNormalizer Portuguese { get; } = new LanguageNormalizer(new Normalization.Portuguese.PortugueseRules());

    /// <summary>Spanish: "1.234,5", "1.º", "1.ª", "1.er", "21 €", "10:00".</summary>
    public static ITextNormalizer Spanish { get; } = new LanguageNormalizer(new Normalization.Spanish.SpanishRules());

    /// <summary>Dutch: "1.234,5", "1e", "8ste", "10:30 uur", "1999", "bijv.".</summary>
    public static ITextNormalizer Dutch { get; } = new LanguageNormalizer(new Normalization.Dutch.DutchRules());

    /// <summary>Leaves text unchanged (normalisation off).</summary>
    public static ITextNormalizer PassThrough { get; } = new PassThroughNormalizer();

    /// <summary>The reference's language names (its config files), each accepted by <see cref="For"/>.</summary>
    public static IReadOnlyList<string> Languages { get; } =
    [
        "dutch", "english", "english_2026-01", "english_2026-04", "english_2026-09", "english_2026-09_24l",
        "english_drifting_26_09", "french_24l", "german", "german_24l", "italian", "italian_24l", "portuguese",
        "portuguese_24l", "spanish", "spanish_24l",
    ];

    // A language name is its family, optionally followed by "_" and a variant (a date, a layer count).
    private static readonly (string Family, ITextNormalizer Normalizer)[] Families =
    [
        ("dutch", Dutch), ("english", English), ("french", French), ("german", German), ("italian", Italian),
        ("portuguese", Portuguese), ("spanish", Spanish),
    ];

    /// <summary>
    /// The normaliser for a language name: one of <see cref="Languages"/>, or any name made of a known family
    /// (dutch, english, french, german, italian, portuguese, spanish) optionally followed by "_" and a variant, compared
    /// case-insensitively (so a future "english_2027-01" works).
    /// </summary>
    /// <param name="language">A language name such as "english" or "french_24l".</param>
    /// <exception cref="ArgumentException">The name is empty or of no known family; the message lists the accepted names.</exception>
    public static ITextNormalizer For(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        foreach ((string family, ITextNormalizer normalizer) in Families)
        {
            if (language.StartsWith(family, StringComparison.OrdinalIgnoreCase)
                && (language.Length == family.Length || language[family.Length] == '_'))
                return normalizer;
        }
        throw new ArgumentException(
            $"Unknown language '{language}'. Accepted: {string.Join(", ", Languages)}, or a family name "
            + $"({string.Join(", ", Families.Select(f => f.Family))}) followed by '_' and a variant.", nameof(language));
    }
}
