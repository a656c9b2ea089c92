using System.Globalization;
using PocketTts.Text.Normalization;

namespace PocketTts.Tests.Unit.Text.Normalization;

/// <summary>The six languages besides English, each against its own table of written forms and how they are said.</summary>
public class LanguageNormalizerTests
{
    private static readonly (string Language, TheoryData<string, string> Cases)[] Tables =
    [
        ("french", FrenchNormalizerCases.All), ("german", GermanNormalizerCases.All), ("italian", ItalianNormalizerCases.All),
        ("portuguese", PortugueseNormalizerCases.All), ("spanish", SpanishNormalizerCases.All), ("dutch", DutchNormalizerCases.All),
    ];

    public static TheoryData<string, string, string> Cases
    {
        get
        {
            var rows = new TheoryData<string, string, string>();
            foreach ((string language, TheoryData<string, string> cases) in Tables)
            {
                foreach (object[] row in cases)
                    rows.Add(language, (string)row[0], (string)row[1]);
            }
            return rows;
        }
    }

    public static TheoryData<string, string> PlainTexts => new()
    {
        { "english", "The cat sleeps on the sofa, and the dog waits by the door." },
        { "french", "Le chat dort sur le canapé, et le chien attend près de la porte." },
        { "german", "Die Katze schläft auf dem Sofa, und der Hund wartet an der Tür." },
        { "italian", "Il gatto dorme sul divano, e il cane aspetta vicino alla porta." },
        { "portuguese", "O gato dorme no sofá, e o cachorro espera perto da porta." },
        { "spanish", "El gato duerme en el sofá, y el perro espera junto a la puerta." },
        { "dutch", "De kat slaapt op de bank, en de hond wacht bij de deur." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Speaks_the_written_form(string language, string written, string spoken) =>
        TextNormalizers.For(language).Normalize(written).ShouldBe(spoken);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Leaves_spoken_text_unchanged(string language, string written, string spoken)
    {
        _ = written;
        TextNormalizers.For(language).Normalize(spoken).ShouldBe(spoken);
    }

    [Fact]
    public void Every_table_covers_at_least_sixty_cases()
    {
        foreach ((string language, TheoryData<string, string> cases) in Tables)
            cases.Count.ShouldBeGreaterThanOrEqualTo(60, language);
    }

    [Theory]
    [MemberData(nameof(PlainTexts))]
    public void A_text_with_nothing_to_normalise_is_returned_unchanged(string language, string text) =>
        TextNormalizers.For(language).Normalize(text).ShouldBeSameAs(text);

    [Theory]
    [InlineData("italian", "codice 1234567890", "codice uno due tre quattro cinque sei sette otto nove zero")]
    [InlineData("portuguese", "código 1234567890123", "código um dois três quatro cinco seis sete oito nove zero um dois três")]
    [InlineData("french", "code 1234567890123456789", "code un deux trois quatre cinq six sept huit neuf zéro un deux trois quatre cinq six sept huit neuf")]
    public void Numbers_beyond_the_language_s_number_words_are_read_digit_by_digit(string language, string written, string spoken) =>
        TextNormalizers.For(language).Normalize(written).ShouldBe(spoken);

    [Theory]
    [MemberData(nameof(PlainTexts))]
    public void Extreme_numbers_are_read_without_failing(string language, string plain)
    {
        _ = plain;
        string text = "999999999999999999 -999999999999999999,99 € 999999999999 £ 999999º 999999ª 999999e 999999er "
            + "99999999999999 % 31/12/9999 23:59 Uhr 23h59 3. Mai 0,000000000000000000001 1.000.000.000.000.000 km";
        string spoken = TextNormalizers.For(language).Normalize(text);
        spoken.ShouldNotContain("99");
    }

    [Fact]
    public void The_words_do_not_depend_on_the_current_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture, savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new NumberWordsCulture("de");
            TextNormalizers.English.Normalize("21 cats").ShouldBe("Twenty-one cats");
            TextNormalizers.French.Normalize("21 chats").ShouldBe("Vingt et un chats");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Fact]
    public void Reads_a_long_mixed_French_text()
    {
        TextNormalizers.French.Normalize("Le 14/07/2024 à 10h30, M. Dupont a payé 12,50 € pour 2 kg de pommes (-20 %).")
            .ShouldBe("Le quatorze juillet deux mille vingt-quatre à dix heures trente, monsieur Dupont a payé douze euros et "
                + "cinquante centimes pour deux kilogrammes de pommes (moins vingt pour cent).");
    }

    [Fact]
    public void Keeps_sentence_punctuation_and_capitalises_a_sentence_that_starts_with_a_number()
    {
        TextNormalizers.German.Normalize("Es waren 5. 6 kamen später! Oder 7?")
            .ShouldBe("Es waren fünf. Sechs kamen später! Oder sieben?");
    }
}
