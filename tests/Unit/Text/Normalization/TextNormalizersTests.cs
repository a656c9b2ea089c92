using PocketTts.Text.Normalization;

namespace PocketTts.Tests.Unit.Text.Normalization;

public class TextNormalizersTests
{
    private const string Sample = "Le 3 mai 2024, à 10:30, Dr. Müller a payé 5 € (50%) & 1,5 kg.";

    public static TheoryData<string> OtherLanguages => new()
    {
        "dutch", "french_24l", "german", "german_24l", "italian", "italian_24l", "portuguese", "portuguese_24l", "spanish",
        "spanish_24l",
    };

    [Theory]
    [InlineData("english")]
    [InlineData("english_2026-01")]
    [InlineData("english_2026-04")]
    [InlineData("english_2026-09_24l")]
    [InlineData("english_drifting_26_09")]
    [InlineData("English")]
    [InlineData("english_2027-01")]
    public void English_names_get_the_English_normaliser(string language)
    {
        TextNormalizers.For(language).ShouldBeSameAs(TextNormalizers.English);
        TextNormalizers.For(language).Normalize("I have 5 cats").ShouldBe("I have five cats");
    }

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Other_languages_get_their_own_normaliser(string language)
    {
        ITextNormalizer normalizer = TextNormalizers.For(language);
        normalizer.ShouldNotBeSameAs(TextNormalizers.PassThrough);
        normalizer.ShouldNotBeSameAs(TextNormalizers.English);
        normalizer.Normalize(Sample).ShouldNotBe(Sample);
    }

    [Fact]
    public void A_language_name_with_a_variant_gets_its_family_normaliser()
    {
        TextNormalizers.For("french_24l").ShouldBeSameAs(TextNormalizers.French);
        TextNormalizers.For("German_24l").ShouldBeSameAs(TextNormalizers.German);
        TextNormalizers.For("portuguese").ShouldBeSameAs(TextNormalizers.Portuguese);
    }

    [Fact]
    public void Every_reference_language_is_accepted()
    {
        TextNormalizers.Languages.Count.ShouldBe(16);
        foreach (string language in TextNormalizers.Languages)
            TextNormalizers.For(language).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("klingon")]
    [InlineData("englishman")]
    [InlineData("eng")]
    public void Unknown_languages_are_rejected_with_the_accepted_names(string language)
    {
        var e = Should.Throw<ArgumentException>(() => TextNormalizers.For(language));
        e.ParamName.ShouldBe("language");
        e.Message.ShouldContain($"Unknown language '{language}'");
        e.Message.ShouldContain("english_2026-04");
        e.Message.ShouldContain("spanish_24l");
    }

    [Fact]
    public void Pass_through_rejects_null() => Should.Throw<ArgumentNullException>(() => TextNormalizers.PassThrough.Normalize(null!));
}
