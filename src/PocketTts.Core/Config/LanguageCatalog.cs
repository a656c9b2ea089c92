namespace PocketTts.Config;

/// <summary>
/// The built-in languages (one embedded YAML configuration each, see <see cref="ModelConfigLoader.Languages"/>) and the
/// reference's per-language defaults (<c>pocket_tts/default_parameters.py</c>): the voice and the sample text used when
/// none is given. Defaults match by family: a language name containing "french" (french_24l) takes French's.
/// Thread-safe.
/// </summary>
public static class LanguageCatalog
{
    /// <summary>The language used when none is given.</summary>
    public const string DefaultLanguage = "english";

    /// <summary>The voice used when the language has no voice of its own.</summary>
    public const string FallbackVoice = "alba";

    /// <summary>
    /// The voice used with weights other than a built-in language's released ones (a custom configuration, a training
    /// checkpoint): the recording behind <see cref="FallbackVoice"/>, which any model can clone, since a predefined
    /// voice is a state precomputed with the released weights (the reference's <c>DEFAULT_VOICE_FOR_CUSTOM_MODEL</c>).
    /// </summary>
    public static string CustomWeightsVoice => PredefinedVoices.All.First(v => v.Name == FallbackVoice).Source;

    // In the reference's order of DEFAULT_VOICE_FOR_LANGUAGE, English (no voice of its own) last.
    private static readonly (string Family, string Voice, string Text)[] Families =
    [
        ("italian", "giovanni", "Ciao mondo. Sono il Pocket TTS di Kyutai. Sono abbastanza veloce da funzionare su piccole CPU. Spero che ti piacerò."),
        ("spanish", "lola", "Hola mundo. Soy el Pocket TTS de Kyutai. Soy lo suficientemente rápido para funcionar en pequeñas CPU. Espero que te guste."),
        ("german", "juergen", "Hallo Welt. Ich bin Pocket TTS von Kyutai. Ich bin schnell genug, um auch auf kleinen CPUs zu laufen. Ich hoffe, ich gefalle dir."),
        ("portuguese", "rafael", "Olá mundo. Eu sou o Pocket TTS da Kyutai. Sou rápido o suficiente para rodar em CPUs pequenas. Espero que você goste de mim."),
        ("french", "estelle", "Bonjour le monde. Je suis le TTS de poche de Kyutai. Je suis assez rapide pour fonctionner sur de petits CPU. J'espère que vous m'aimerez."),
        (DefaultLanguage, FallbackVoice, "Hello world. I am Kyutai's Pocket TTS. I'm fast enough to run on small CPUs. I hope you'll like me."),
    ];

    private static readonly Lazy<IReadOnlyList<LanguageInfo>> Infos =
        new(() => [.. ModelConfigLoader.Languages.Select(name => LanguageInfo.From(name, ModelConfigLoader.LoadLanguage(name)))]);

    /// <summary>The built-in language names, sorted (dutch, english, english_2026-01, …, spanish_24l).</summary>
    public static IReadOnlyList<string> Names => ModelConfigLoader.Languages;

    /// <summary>Every built-in language, read from its embedded YAML on first use.</summary>
    public static IReadOnlyList<LanguageInfo> All => Infos.Value;

    /// <summary>A built-in language by name.</summary>
    /// <exception cref="ArgumentException">Unknown language; the message lists the available ones.</exception>
    public static LanguageInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(l => l.Name == name) ?? throw ModelConfigLoader.UnknownLanguage(name);
    }

    /// <summary>The language a configuration name speaks: the family its name contains, or the name itself.</summary>
    public static string Family(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return Find(language)?.Family ?? language;
    }

    /// <summary>The default voice of a language (<see cref="FallbackVoice"/> when the language is null or has none).</summary>
    public static string DefaultVoice(string? language) => Find(language)?.Voice ?? FallbackVoice;

    /// <summary>The sample text of a language (English when the language is null or unknown).</summary>
    public static string DefaultText(string? language) => (Find(language) ?? Families[^1]).Text;

    // get_default_voice_for_language: the first family whose name the language contains ("key in language").
    private static (string Family, string Voice, string Text)? Find(string? language)
    {
        if (language is null)
            return null;
        foreach (var family in Families)
        {
            if (language.Contains(family.Family, StringComparison.OrdinalIgnoreCase))
                return family;
        }
        return null;
    }
}
