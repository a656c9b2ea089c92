using PocketTts.Config;

namespace PocketTts.Tests.Unit.Config;

public class LanguageCatalogTests
{
    [Fact]
    public void The_sixteen_languages_are_summarised_from_their_yaml()
    {
        LanguageCatalog.Names.Count.ShouldBe(16);
        LanguageCatalog.All.Select(l => l.Name).ShouldBe(LanguageCatalog.Names);

        LanguageInfo english = LanguageCatalog.Get("english");
        english.ShouldBe(new LanguageInfo(
            "english", "english",
            "hf://kyutai/pocket-tts/languages/english_2026-09/model.safetensors@983151f13aaeab1b13c1e5e3c2c383d49a9edf3f",
            "hf://kyutai/pocket-tts-without-voice-cloning/languages/english/model.safetensors@e7205b6ee50e654a5ea19f0e9df2b0813b05e921",
            "hf://kyutai/pocket-tts-without-voice-cloning/languages/english/tokenizer.json@00eac05ed3d16bdc3f6b5d598874019c34a89214",
            FlowLmLayers: 6, InsertBosBeforeVoice: true, PadWithSpacesForShortInputs: false, RemoveSemicolons: false, ModelRecommendedFramesAfterEos: null));

        LanguageInfo january = LanguageCatalog.Get("english_2026-01");
        (january.Family, january.InsertBosBeforeVoice, january.PadWithSpacesForShortInputs).ShouldBe(("english", false, true));
        january.TokenizerPath.ShouldBe("hf://kyutai/pocket-tts-without-voice-cloning/tokenizer.model@d29db7978e464fb90cb3359ee0c69a273b9142cc");

        LanguageInfo french = LanguageCatalog.Get("french_24l");
        (french.Family, french.FlowLmLayers, french.RemoveSemicolons, french.ModelRecommendedFramesAfterEos).ShouldBe(("french", 24, true, (int?)8));

        LanguageCatalog.All.Where(l => l.RemoveSemicolons).Select(l => l.Name).ShouldBe(["french_24l", "german", "german_24l"]);
        LanguageCatalog.All.Where(l => l.PadWithSpacesForShortInputs).Select(l => l.Name).ShouldBe(["english_2026-01"]);
        LanguageCatalog.All.Where(l => l.FlowLmLayers == 24).Select(l => l.Name).ShouldBe(["english_2026-09_24l", "french_24l", "german_24l", "italian_24l", "portuguese_24l", "spanish_24l"]);
        // english's gated weights are english_2026-09's file (docs/models.md says why).
        LanguageCatalog.All.ShouldAllBe(l => l.WeightsPath!.StartsWith("hf://kyutai/pocket-tts/languages/" + (l.Name == "english" ? "english_2026-09" : l.Name) + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_language_lists_the_available_ones()
    {
        Should.Throw<ArgumentException>(() => LanguageCatalog.Get("klingon")).Message.ShouldStartWith("Unknown language 'klingon'. Did you make a typo? Available languages: dutch, english,");
    }

    [Theory]
    [InlineData("english", "english", "alba")]
    [InlineData("english_2026-01", "english", "alba")]
    [InlineData("english_2026-04", "english", "alba")]
    [InlineData("english_2026-09", "english", "alba")]
    [InlineData("english_2026-09_24l", "english", "alba")]
    [InlineData("english_drifting_26_09", "english", "alba")]
    [InlineData("french_24l", "french", "estelle")]
    [InlineData("german", "german", "juergen")]
    [InlineData("german_24l", "german", "juergen")]
    [InlineData("italian", "italian", "giovanni")]
    [InlineData("italian_24l", "italian", "giovanni")]
    [InlineData("portuguese", "portuguese", "rafael")]
    [InlineData("portuguese_24l", "portuguese", "rafael")]
    [InlineData("spanish", "spanish", "lola")]
    [InlineData("spanish_24l", "spanish", "lola")]
    public void Each_language_has_the_reference_default_voice_spoken_in_its_family(string language, string family, string voice)
    {
        LanguageCatalog.Family(language).ShouldBe(family);
        LanguageCatalog.DefaultVoice(language).ShouldBe(voice);
        LanguageCatalog.Get(language).DefaultVoice.ShouldBe(voice);
        PredefinedVoices.TryGet(voice, out PredefinedVoice? predefined).ShouldBeTrue();
        predefined!.Language.ShouldBe(family);
    }

    [Fact]
    public void Unknown_or_missing_languages_fall_back_to_english_defaults()
    {
        LanguageCatalog.DefaultVoice(null).ShouldBe("alba");
        LanguageCatalog.CustomWeightsVoice.ShouldBe("hf://kyutai/tts-voices/alba-mackenna/casual.wav");
        LanguageCatalog.DefaultVoice("klingon").ShouldBe("alba");
        LanguageCatalog.Family("klingon").ShouldBe("klingon");
        LanguageCatalog.DefaultText(null).ShouldStartWith("Hello world. I am Kyutai's Pocket TTS.");
        LanguageCatalog.DefaultText("french_24l").ShouldStartWith("Bonjour le monde.");
        LanguageCatalog.DefaultText("portuguese").ShouldEndWith("Espero que você goste de mim.");
    }
}
