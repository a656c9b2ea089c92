namespace PocketTts.Text.Normalization;

/// <summary>
/// The text normaliser of each language the model speaks. English has full rules (numbers, currency, times, units,
/// abbreviations); Dutch, French, German, Italian, Portuguese and Spanish pass text through unchanged for now. All
/// normalisers are stateless and thread-safe.
/// </summary>
public static class TextNormalizers
{
    /// <summary>Spells out numbers, currency, percentages, times, units and common abbreviations in English.</summary>
    public static ITextNormalizer English { get; } = new EnglishNormalizer();

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
        ("dutch", PassThrough), ("english", English), ("french", PassThrough), ("german", PassThrough), ("italian", PassThrough),
        ("portuguese", PassThrough), ("spanish", PassThrough),
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
