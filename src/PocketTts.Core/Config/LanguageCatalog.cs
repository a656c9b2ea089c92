namespace PocketTts.Config;

/// <summary>
/// Per-language defaults of the reference (<c>pocket_tts/default_parameters.py</c>): the voice and the sample text
/// used when none is given. A language matches by family (french_24l → french).
/// </summary>
public static class LanguageCatalog
{
    /// <summary>The voice used when none is given.</summary>
    public const string FallbackVoice = "alba";

    private static readonly (string Family, string Voice, string Text)[] Families =
    [
        ("english", FallbackVoice, "Hello world. I am Kyutai's Pocket TTS. I'm fast enough to run on small CPUs. I hope you'll like me."),
        ("french", "estelle", "Bonjour le monde. Je suis le TTS de poche de Kyutai. Je suis assez rapide pour fonctionner sur de petits CPU. J'espère que vous m'aimerez."),
        ("german", "juergen", "Hallo Welt. Ich bin Pocket TTS von Kyutai. Ich bin schnell genug, um auch auf kleinen CPUs zu laufen. Ich hoffe, ich gefalle dir."),
        ("portuguese", "rafael", "Olá mundo. Eu sou o Pocket TTS da Kyutai. Sou rápido o suficiente para rodar em CPUs pequenas. Espero que você goste de mim."),
        ("italian", "giovanni", "Ciao mondo. Sono il Pocket TTS di Kyutai. Sono abbastanza veloce da funzionare su piccole CPU. Spero che ti piacerò."),
        ("spanish", "lola", "Hola mundo. Soy el Pocket TTS de Kyutai. Soy lo suficientemente rápido para funcionar en pequeñas CPU. Espero que te guste."),
    ];

    /// <summary>The default voice of a language (alba when the language is null or unknown).</summary>
    public static string DefaultVoice(string? language) => Find(language)?.Voice ?? FallbackVoice;

    /// <summary>The sample text of a language (English when the language is null or unknown).</summary>
    public static string DefaultText(string? language) => (Find(language) ?? Families[0]).Text;

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
