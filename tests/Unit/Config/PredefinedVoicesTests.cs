using PocketTts.Config;

namespace PocketTts.Tests.Unit.Config;

public class PredefinedVoicesTests
{
    [Fact]
    public void There_are_26_uniquely_named_voices_with_hf_sources()
    {
        PredefinedVoices.All.Count.ShouldBe(26);
        PredefinedVoices.All.Select(v => v.Name).Distinct().Count().ShouldBe(26);
        PredefinedVoices.All.ShouldAllBe(v => v.Source.StartsWith("hf://", StringComparison.Ordinal));
    }

    [Fact]
    public void A_voice_resolves_to_its_exported_state_for_the_model_language()
    {
        PredefinedVoices.TryGet("Alba", out var alba).ShouldBeTrue();
        alba!.EmbeddingReference("english").ShouldBe("hf://kyutai/pocket-tts-without-voice-cloning/languages/english/embeddings/alba.safetensors@e041936c75475d350b405bc870bcf7c22da4e9e6");
        PredefinedVoices.TryGet("nobody", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("english", "alba")]
    [InlineData("french_24l", "estelle")]
    [InlineData("german", "juergen")]
    [InlineData("italian_24l", "giovanni")]
    [InlineData("spanish", "lola")]
    [InlineData("portuguese_24l", "rafael")]
    [InlineData(null, "alba")]
    public void Each_language_has_the_reference_default_voice(string? language, string voice)
    {
        LanguageCatalog.DefaultVoice(language).ShouldBe(voice);
        PredefinedVoices.TryGet(voice, out _).ShouldBeTrue();
    }

    [Fact]
    public void Default_texts_follow_the_language_family()
    {
        LanguageCatalog.DefaultText("french_24l").ShouldStartWith("Bonjour le monde.");
        LanguageCatalog.DefaultText(null).ShouldStartWith("Hello world.");
    }
}
