using PocketTts.Config;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Config;

public class ModelConfigLoaderTests
{
    [Fact]
    public void The_tiny_fixture_configuration_loads_with_paths_resolved_against_its_folder()
    {
        string path = RepoPaths.Fixture("tiny/config.yaml");
        ModelConfig config = ModelConfigLoader.LoadFile(path);

        config.FlowLm.Transformer.DModel.ShouldBe(128);
        config.FlowLm.Transformer.NumLayers.ShouldBe(2);
        config.FlowLm.Flow.Dim.ShouldBe(64);
        config.FlowLm.InsertBosBeforeVoice.ShouldBeTrue();
        config.Mimi.Seanet.Ratios.ShouldBe([6, 5, 4]);
        config.Mimi.Transformer.Context.ShouldBe(250);
        config.Mimi.Transformer.MaxPeriod.ShouldBe(10000.0);
        config.Mimi.InnerDim.ShouldBe(32);
        config.Mimi.FrameRate.ShouldBe(12.5);
        config.WeightsPath.ShouldBe(RepoPaths.Fixture("tiny/model.safetensors"));
        config.FlowLm.LookupTable.TokenizerPath.ShouldBe(RepoPaths.Fixture("tokenizer.model"));
        config.BaseDirectory.ShouldBe(Path.GetDirectoryName(path));
    }

    [Fact]
    public void Every_reference_language_is_built_in_and_loads()
    {
        ModelConfigLoader.Languages.ShouldBe(["english", "english_2026-01", "english_2026-04", "french_24l", "german", "german_24l", "italian", "italian_24l", "portuguese", "portuguese_24l", "spanish", "spanish_24l"]);
        foreach (string language in ModelConfigLoader.Languages)
        {
            ModelConfig config = ModelConfigLoader.LoadLanguage(language);
            config.WeightsPathWithoutVoiceCloning.ShouldStartWith("hf://kyutai/pocket-tts-without-voice-cloning/", customMessage: language);
            config.FlowLm.LookupTable.TokenizerPath.ShouldStartWith("hf://", customMessage: language);
            config.FlowLm.Transformer.NumLayers.ShouldBe(language.EndsWith("_24l", StringComparison.Ordinal) ? 24 : 6, language);
        }
        ModelConfigLoader.LoadLanguage("english").FlowLm.InsertBosBeforeVoice.ShouldBeTrue();
        ModelConfigLoader.LoadLanguage("english_2026-01").FlowLm.InsertBosBeforeVoice.ShouldBeFalse();
        ModelConfigLoader.LoadLanguage("german").RemoveSemicolons.ShouldBeTrue();
    }

    [Fact]
    public void An_unknown_language_lists_the_available_ones()
    {
        var e = Should.Throw<ArgumentException>(() => ModelConfigLoader.LoadLanguage("klingon"));
        e.Message.ShouldContain("Unknown language 'klingon'. Did you make a typo? Available languages: english, english_2026-01");
    }

    [Fact]
    public void An_unknown_key_is_an_error_that_names_it()
    {
        string yaml = ModelConfigLoader.ReadLanguageYaml("english").Replace("  flow:\n", "  flwo_typo: 3\n  flow:\n", StringComparison.Ordinal);
        var e = Should.Throw<InvalidDataException>(() => ModelConfigLoader.Parse(yaml, "test.yaml", null));
        e.Message.ShouldBe("test.yaml: unknown key(s) flow_lm.flwo_typo. Did you make a typo?");
    }

    [Fact]
    public void A_missing_or_mistyped_value_is_an_error_that_names_it()
    {
        string yaml = ModelConfigLoader.ReadLanguageYaml("english");
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.Parse(yaml.Replace("    depth: 6\n", "", StringComparison.Ordinal), "t.yaml", null))
            .Message.ShouldBe("t.yaml: flow_lm.flow.depth is required.");
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.Parse(yaml.Replace("    depth: 6\n", "    depth: six\n", StringComparison.Ordinal), "t.yaml", null))
            .Message.ShouldBe("t.yaml: flow_lm.flow.depth must be an integer, got 'six'.");
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.Parse("a: [", "t.yaml", null)).Message.ShouldStartWith("t.yaml: not valid YAML");
    }

    [Fact]
    public void A_missing_file_or_a_non_yaml_file_is_reported()
    {
        Should.Throw<FileNotFoundException>(() => ModelConfigLoader.LoadFile("/nonexistent/model.yaml")).Message.ShouldContain("Config file not found");
        string txt = Path.Combine(Path.GetTempPath(), $"config-{Guid.NewGuid():N}.txt");
        File.WriteAllText(txt, "x: 1");
        try
        {
            Should.Throw<InvalidDataException>(() => ModelConfigLoader.LoadFile(txt)).Message.ShouldContain("ending with .yaml");
        }
        finally
        {
            File.Delete(txt);
        }
    }
}
