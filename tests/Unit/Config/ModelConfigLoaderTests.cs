using PocketTts.Config;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Config;

public sealed class ModelConfigLoaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"config-tests-{Guid.NewGuid():N}");

    public ModelConfigLoaderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The 2.1.0 English file (SentencePiece, no 3.x keys): the base the schema tests edit.
    private static string English => ModelConfigLoader.ReadLanguageYaml("english_2026-04");

    private static string Edit(string yaml, string oldText, string newText)
    {
        yaml.ShouldContain(oldText);
        return yaml.Replace(oldText, newText, StringComparison.Ordinal);
    }

    private static string ParseError(string yaml) => Should.Throw<InvalidDataException>(() => ModelConfigLoader.Parse(yaml, "t.yaml", null)).Message;

    [Fact]
    public void The_tiny_fixture_configuration_loads_with_paths_resolved_against_its_folder()
    {
        string path = RepoPaths.Fixture("tiny/config.yaml");
        ModelConfig config = ModelConfigLoader.LoadFile(path);

        config.FlowLm.Dtype.ShouldBe("float32");
        config.FlowLm.Flow.ShouldBe(new FlowNetConfig { Dim = 64, Depth = 2 });
        config.FlowLm.Transformer.ShouldBe(new FlowLmTransformerConfig { DModel = 128, HiddenScale = 4, MaxPeriod = 10000, NumHeads = 2, NumLayers = 2 });
        config.FlowLm.LookupTable.Dim.ShouldBe(128);
        config.FlowLm.LookupTable.NBins.ShouldBe(4000);
        config.FlowLm.LookupTable.Tokenizer.ShouldBe("sentencepiece");
        config.FlowLm.LookupTable.TokenizerPath.ShouldBe(RepoPaths.Fixture("tokenizer.model"));
        config.FlowLm.InsertBosBeforeVoice.ShouldBeTrue();
        config.FlowLm.WeightsPath.ShouldBeNull();

        config.Mimi.SampleRate.ShouldBe(24000);
        config.Mimi.Channels.ShouldBe(1);
        config.Mimi.FrameRate.ShouldBe(12.5);
        config.Mimi.InnerDim.ShouldBe(32);
        config.Mimi.OuterDim.ShouldBe(64);
        config.Mimi.Seanet.Ratios.ShouldBe([6, 5, 4]);
        config.Mimi.Seanet.NFilters.ShouldBe(8);
        config.Mimi.Seanet.PadMode.ShouldBe("constant");
        config.Mimi.Transformer.OutputDimensions.ShouldBe([64]);
        config.Mimi.Transformer.LayerScale.ShouldBe(0.01);
        config.Mimi.Transformer.Context.ShouldBe(250);
        config.Mimi.Transformer.MaxPeriod.ShouldBe(10000.0, "absent: the schema's default");
        config.Mimi.Transformer.DimFeedforward.ShouldBe(128);
        config.Mimi.Quantizer.ShouldBe(new QuantizerConfig { Dimension = 32, OutputDimension = 64 });

        config.WeightsPath.ShouldBe(RepoPaths.Fixture("tiny/model.safetensors"));
        config.WeightsPathWithoutVoiceCloning.ShouldBe(RepoPaths.Fixture("tiny/model.safetensors"));
        config.PadWithSpacesForShortInputs.ShouldBeFalse();
        config.RemoveSemicolons.ShouldBeFalse();
        config.ModelRecommendedFramesAfterEos.ShouldBeNull();
        config.BaseDirectory.ShouldBe(Path.GetDirectoryName(path));
    }

    [Theory]
    [InlineData("tiny_lsd", FlowType.Lsd)]
    [InlineData("tiny_drifting", FlowType.Drifting)]
    public void The_upstream_3x_fixture_configurations_load(string model, FlowType type)
    {
        string path = RepoPaths.Fixture($"upstream-3x/{model}/config.yaml");
        ModelConfig config = ModelConfigLoader.LoadFile(path);

        config.FlowLm.Flow.ShouldBe(new FlowNetConfig { Dim = 64, Depth = 2, Type = type });
        config.DefaultTemperature.ShouldBe(0.3);
        config.FlowLm.LookupTable.Tokenizer.ShouldBe("sentencepiece");
        config.FlowLm.LookupTable.TokenizerPath.ShouldBe(RepoPaths.Fixture("upstream-3x/tokenizer.model"));
        config.AppendTerminalPunctuation.ShouldBeTrue("absent: the schema's default");
        config.CapitalizeFirstLetter.ShouldBeTrue("absent: the schema's default");
        config.ReplaceCharacters.ShouldBeEmpty();
    }

    [Fact]
    public void The_3x_keys_are_read()
    {
        string yaml = Edit(English, "    depth: 6\n", "    depth: 6\n    type: drifting\n")
            + "default_temperature: 0.5\nappend_terminal_punctuation: false\ncapitalize_first_letter: no\n"
            + "replace_characters:\n  '\"': ''\n  \u2019: \"'\"\n";
        ModelConfig config = ModelConfigLoader.Parse(yaml, "t.yaml", null);

        config.FlowLm.Flow.Type.ShouldBe(FlowType.Drifting);
        config.DefaultTemperature.ShouldBe(0.5);
        config.AppendTerminalPunctuation.ShouldBeFalse();
        config.CapitalizeFirstLetter.ShouldBeFalse();
        config.ReplaceCharacters.ShouldBe(new Dictionary<string, string> { ["\""] = "", ["\u2019"] = "'" });
        ModelConfigLoader.Parse(Edit(English, "    depth: 6\n", "    depth: 6\n    type: flow_matching\n"), "t.yaml", null).FlowLm.Flow.Type.ShouldBe(FlowType.FlowMatching);
        ModelConfigLoader.Parse(Edit(English, "    tokenizer: sentencepiece\n", "    tokenizer: tokenizers\n"), "t.yaml", null).FlowLm.LookupTable.Tokenizer.ShouldBe("tokenizers");
    }

    [Fact]
    public void Values_outside_the_3x_schema_are_errors_that_name_them()
    {
        ParseError(Edit(English, "    depth: 6\n", "    depth: 6\n    type: diffusion\n")).ShouldBe(
            "t.yaml: flow_lm.flow.type must be one of lsd, drifting, flow_matching, got 'diffusion'.");
        ParseError(Edit(English, "    tokenizer: sentencepiece\n", "    tokenizer: bpe\n")).ShouldBe(
            "t.yaml: flow_lm.lookup_table.tokenizer must be one of sentencepiece, tokenizers, got 'bpe'.");
        ParseError(English + "replace_characters:\n  x:\n").ShouldBe(
            "t.yaml: replace_characters must be a mapping of non-empty strings to strings (quote an empty replacement: '').");
        ParseError(English + "replace_characters:\n  '': x\n").ShouldStartWith("t.yaml: replace_characters must be a mapping of non-empty strings");
        ParseError(English + "replace_characters: x\n").ShouldStartWith("t.yaml: replace_characters must be a mapping");
        ParseError(English + "default_temperature: warm\n").ShouldBe("t.yaml: default_temperature must be a number, got 'warm'.");
    }

    [Fact]
    public void Relative_paths_join_the_files_folder_and_urls_and_absolute_paths_stay()
    {
        string yaml = Edit(Edit(Edit(English,
            "  #weights_path: final.safetensors", "  weights_path: parts/flow_lm.safetensors"),
            "  #weights_path: codec.safetensors", "  weights_path: https://example.com/mimi.safetensors"),
            "weights_path_without_voice_cloning: hf://", "weights_path_without_voice_cloning: /abs/model.safetensors\n#hf://");
        string path = Path.Combine(_folder, "custom.yaml");
        File.WriteAllText(path, Edit(yaml, "weights_path: hf://kyutai/pocket-tts/languages/english_2026-04/model.safetensors@19f95fe2df36e79fbd9f10008595cc4c977a0fcc", "weights_path: ../model.safetensors"));

        ModelConfig config = ModelConfigLoader.LoadFile(path);
        config.BaseDirectory.ShouldBe(_folder);
        config.WeightsPath.ShouldBe(Path.GetFullPath(Path.Combine(_folder, "..", "model.safetensors")));
        config.FlowLm.WeightsPath.ShouldBe(Path.Combine(_folder, "parts", "flow_lm.safetensors"));
        config.Mimi.WeightsPath.ShouldBe("https://example.com/mimi.safetensors");
        config.WeightsPathWithoutVoiceCloning.ShouldBe("/abs/model.safetensors");
        config.FlowLm.LookupTable.TokenizerPath.ShouldBe("hf://kyutai/pocket-tts-without-voice-cloning/languages/english_2026-04/tokenizer.model@d29db7978e464fb90cb3359ee0c69a273b9142cc");
    }

    [Fact]
    public void Every_reference_language_is_built_in_and_loads()
    {
        ModelConfigLoader.Languages.ShouldBe(
        [
            "dutch", "english", "english_2026-01", "english_2026-04", "english_2026-09", "english_2026-09_24l", "english_drifting_26_09",
            "french_24l", "german", "german_24l", "italian", "italian_24l", "portuguese", "portuguese_24l", "spanish", "spanish_24l",
        ]);
        foreach (string language in ModelConfigLoader.Languages)
        {
            ModelConfig config = ModelConfigLoader.LoadLanguage(language);
            string gatedFolder = language == "english" ? "english_2026-09" : language;
            config.WeightsPath.ShouldStartWith($"hf://kyutai/pocket-tts/languages/{gatedFolder}/model.safetensors@", customMessage: language);
            config.WeightsPathWithoutVoiceCloning.ShouldStartWith($"hf://kyutai/pocket-tts-without-voice-cloning/languages/{language}/model.safetensors@", customMessage: language);
            config.FlowLm.LookupTable.TokenizerPath.ShouldStartWith("hf://kyutai/pocket-tts-without-voice-cloning/", customMessage: language);
            config.FlowLm.Transformer.NumLayers.ShouldBe(language.EndsWith("_24l", StringComparison.Ordinal) ? 24 : 6, language);
            config.FlowLm.Transformer.DModel.ShouldBe(1024, language);
            config.Mimi.SampleRate.ShouldBe(24000, language);
            config.Mimi.FrameRate.ShouldBe(12.5, language);
            config.BaseDirectory.ShouldBeNull(language);
        }
        ModelConfigLoader.LoadLanguage("english").FlowLm.InsertBosBeforeVoice.ShouldBeTrue();
        ModelConfigLoader.LoadLanguage("english_2026-01").FlowLm.InsertBosBeforeVoice.ShouldBeFalse();
        ModelConfigLoader.LoadLanguage("english_2026-01").Mimi.InnerDim.ShouldBe(512);
        ModelConfigLoader.LoadLanguage("german").RemoveSemicolons.ShouldBeTrue();
        ModelConfigLoader.LoadLanguage("french_24l").ModelRecommendedFramesAfterEos.ShouldBe(8);
        ModelConfigLoader.LoadLanguage("english_drifting_26_09").FlowLm.Flow.Type.ShouldBe(FlowType.Drifting);
        ModelConfigLoader.LoadLanguage("english_drifting_26_09").FlowLm.LookupTable.Tokenizer.ShouldBe("tokenizers");
        ModelConfigLoader.LoadLanguage("english_2026-09").DefaultTemperature.ShouldBe(0.3);
        ModelConfigLoader.LoadLanguage("dutch").ReplaceCharacters.ShouldBe(new Dictionary<string, string>
        {
            ["\""] = "",
            ["\u201c"] = "",
            ["\u201d"] = "",
            ["\u201e"] = "",
            ["\u00ab"] = "",
            ["\u00bb"] = "",
            ["\u2019"] = "'",
            ["\u2018"] = "'",
            ["("] = "",
            [")"] = "",
            ["["] = "",
            ["]"] = "",
        });
        ModelConfigLoader.LoadLanguage("english").FlowLm.Flow.Type.ShouldBe(FlowType.Lsd, "absent: the schema's default");
    }

    [Fact]
    public void The_embedded_yaml_is_the_reference_file()
    {
        ModelConfigLoader.ReadLanguageYaml("english_2026-04").ShouldStartWith("# sig: a0ac5076.yaml\n\nweights_path: hf://kyutai/pocket-tts/languages/english_2026-04/model.safetensors@");
    }

    [Fact]
    public void English_is_the_2026_09_model_as_in_the_reference_3x()
    {
        ModelConfig english = ModelConfigLoader.LoadLanguage("english");
        ModelConfig september = ModelConfigLoader.LoadLanguage("english_2026-09");

        english.WeightsPath.ShouldBe(september.WeightsPath);
        english.WeightsPathWithoutVoiceCloning.ShouldBe(
            "hf://kyutai/pocket-tts-without-voice-cloning/languages/english/model.safetensors@e7205b6ee50e654a5ea19f0e9df2b0813b05e921");
        english.FlowLm.LookupTable.Tokenizer.ShouldBe("tokenizers");
        english.FlowLm.LookupTable.TokenizerPath.ShouldBe(
            "hf://kyutai/pocket-tts-without-voice-cloning/languages/english/tokenizer.json@00eac05ed3d16bdc3f6b5d598874019c34a89214");
        english.DefaultTemperature.ShouldBe(0.3);
        english.FlowLm.Transformer.NumLayers.ShouldBe(september.FlowLm.Transformer.NumLayers);
    }

    [Fact]
    public void An_unknown_language_lists_the_available_ones()
    {
        var e = Should.Throw<ArgumentException>(() => ModelConfigLoader.LoadLanguage("klingon"));
        e.Message.ShouldStartWith("Unknown language 'klingon'. Did you make a typo? Available languages: dutch, english, english_2026-01, english_2026-04, english_2026-09, english_2026-09_24l, english_drifting_26_09, french_24l, german, german_24l, italian, italian_24l, portuguese, portuguese_24l, spanish, spanish_24l.");
        e.ParamName.ShouldBe("language");
        Should.Throw<ArgumentException>(() => ModelConfigLoader.LoadLanguage("English"));
        Should.Throw<ArgumentException>(() => ModelConfigLoader.LoadLanguage("english.yaml"));
    }

    [Fact]
    public void An_unknown_key_is_an_error_that_names_it_and_its_section()
    {
        ParseError(Edit(English, "  flow:\n", "  flwo_typo: 3\n  flow:\n")).ShouldBe(
            "t.yaml: flow_lm.flwo_typo is not a known key (flow_lm accepts flow, transformer, lookup_table, dtype, weights_path, insert_bos_before_voice). Did you make a typo?");
        ParseError(Edit(English, "    compress: 2\n", "    compress: 2\n    compression: 3\n")).ShouldContain(
            "mimi.seanet.compression is not a known key (mimi.seanet accepts dimension, channels,");
        ParseError("extra: 1\n" + English).ShouldStartWith("t.yaml: extra is not a known key (the top level accepts flow_lm, mimi, weights_path,");
    }

    [Fact]
    public void A_misspelt_key_reports_the_missing_key_and_the_unknown_one_together()
    {
        ParseError(Edit(English, "    depth: 6\n", "    dpeth: 6\n")).ShouldBe(
            "t.yaml: flow_lm.flow.depth is required. flow_lm.flow.dpeth is not a known key (flow_lm.flow accepts dim, depth, type). Did you make a typo?");
    }

    [Fact]
    public void Missing_and_mistyped_values_are_errors_that_name_them()
    {
        ParseError(Edit(English, "    depth: 6\n", "")).ShouldBe("t.yaml: flow_lm.flow.depth is required.");
        ParseError(Edit(English, "    depth: 6\n", "    depth: six\n")).ShouldBe("t.yaml: flow_lm.flow.depth must be an integer, got 'six'.");
        ParseError(Edit(English, "    depth: 6\n", "    depth: ~\n")).ShouldBe("t.yaml: flow_lm.flow.depth is required.");
        ParseError(Edit(English, "  frame_rate: 12.5\n", "  frame_rate: fast\n")).ShouldBe("t.yaml: mimi.frame_rate must be a number, got 'fast'.");
        ParseError(Edit(English, "  insert_bos_before_voice: true\n", "  insert_bos_before_voice: maybe\n")).ShouldBe("t.yaml: flow_lm.insert_bos_before_voice must be true or false, got 'maybe'.");
        ParseError(Edit(English, "  dtype: float32\n  flow:", "  dtype: [float32]\n  flow:")).ShouldBe("t.yaml: flow_lm.dtype must be a single value, not a list or a mapping.");
        ParseError(Edit(English, "    ratios:\n    - 6\n    - 5\n    - 4\n", "    ratios: 6\n")).ShouldBe("t.yaml: mimi.seanet.ratios must be a list of integers.");
        ParseError(Edit(English, "    output_dimensions:\n    - 512\n", "    output_dimensions:\n    - wide\n")).ShouldBe("t.yaml: mimi.transformer.output_dimensions must be a list of integers.");
        ParseError(Edit(English, "  quantizer:\n    dimension: 32\n    output_dimension: 512\n", "  quantizer: 32\n")).ShouldBe("t.yaml: mimi.quantizer must be a mapping of keys to values.");
    }

    [Fact]
    public void A_missing_section_is_reported_once()
    {
        string noMimi = English[..English.IndexOf("mimi:", StringComparison.Ordinal)];
        ParseError(noMimi).ShouldBe("t.yaml: mimi is required.");
    }

    [Fact]
    public void Optional_values_take_the_schemas_defaults_and_yaml_nulls()
    {
        string yaml = Edit(Edit(English, "  insert_bos_before_voice: true\n", ""), "inner_dim: 32", "inner_dim: null");
        ModelConfig config = ModelConfigLoader.Parse(Edit(yaml, "weights_path: hf://kyutai/pocket-tts/languages/english_2026-04/model.safetensors@19f95fe2df36e79fbd9f10008595cc4c977a0fcc", "weights_path: ~"), "t.yaml", null);
        config.FlowLm.InsertBosBeforeVoice.ShouldBeFalse();
        config.Mimi.InnerDim.ShouldBeNull();
        config.WeightsPath.ShouldBeNull();
        ModelConfigLoader.Parse(Edit(English, "weights_path: hf://kyutai/pocket-tts/languages/english_2026-04/model.safetensors@19f95fe2df36e79fbd9f10008595cc4c977a0fcc", "weights_path: \"null\""), "t.yaml", null)
            .WeightsPath.ShouldBe("null", "a quoted null is a string");
        ModelConfigLoader.Parse(Edit(English, "  insert_bos_before_voice: true\n", "  insert_bos_before_voice: No\n"), "t.yaml", null).FlowLm.InsertBosBeforeVoice.ShouldBeFalse();
    }

    [Fact]
    public void Zero_and_negative_dimensions_are_errors_that_name_the_key_and_the_range()
    {
        // num_heads: 0 divided by zero when the model was built, and printed a stack trace.
        ParseError(Edit(English, "    num_heads: 16\n", "    num_heads: 0\n")).ShouldBe("t.yaml: flow_lm.transformer.num_heads must be between 1 and 65536, got 0.");
        ParseError(Edit(English, "    dim: 512\n", "    dim: -1\n")).ShouldBe("t.yaml: flow_lm.flow.dim must be between 1 and 65536, got -1.");
        ParseError(Edit(English, "    n_filters: 64\n", "    n_filters: 0\n")).ShouldBe("t.yaml: mimi.seanet.n_filters must be between 1 and 65536, got 0.");
        ParseError(Edit(English, "    context: 250\n", "    context: 10000000\n")).ShouldBe("t.yaml: mimi.transformer.context must be between 1 and 65536, got 10000000.");
        ParseError(Edit(English, "    ratios:\n    - 6\n", "    ratios:\n    - 0\n")).ShouldBe("t.yaml: mimi.seanet.ratios must be a non-empty list of integers between 1 and 65536, got [0, 5, 4].");
        ParseError(Edit(English, "  frame_rate: 12.5\n", "  frame_rate: 0\n")).ShouldBe("t.yaml: mimi.frame_rate must be a finite number greater than 0, got 0.");
        ParseError(Edit(English, "  frame_rate: 12.5\n", "  frame_rate: NaN\n")).ShouldBe("t.yaml: mimi.frame_rate must be a finite number greater than 0, got NaN.");
        ParseError(English + "default_temperature: -1\n").ShouldBe("t.yaml: default_temperature must be a finite number of at least 0, got -1.");
    }

    [Fact]
    public void Heads_must_split_d_model_into_even_widths()
    {
        ParseError(Edit(English, "    num_heads: 16\n", "    num_heads: 3\n")).ShouldBe("t.yaml: flow_lm.transformer.d_model must be num_heads (3) × an even head width, got 1024.");
        ParseError(Edit(English, "    num_heads: 16\n", "    num_heads: 1024\n")).ShouldBe("t.yaml: flow_lm.transformer.d_model must be num_heads (1024) × an even head width, got 1024.");
    }

    [Fact]
    public void Dtype_and_pad_mode_outside_the_accepted_values_are_errors_that_list_them()
    {
        ParseError(Edit(English, "  dtype: float32\n  flow:", "  dtype: float128\n  flow:")).ShouldBe(
            "t.yaml: flow_lm.dtype must be one of float32, float16, bfloat16, got 'float128'.");
        ParseError(Edit(English, "    pad_mode: constant\n", "    pad_mode: reflect\n")).ShouldBe(
            "t.yaml: mimi.seanet.pad_mode must be one of constant, replicate, got 'reflect'.");
        ParseError(Edit(English, "    tokenizer: sentencepiece\n", "    tokenizer: bogus\n")).ShouldBe(
            "t.yaml: flow_lm.lookup_table.tokenizer must be one of sentencepiece, tokenizers, got 'bogus'.");
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void Yaml_nested_100000_levels_is_an_error_not_a_stack_overflow(string open, string close)
    {
        // Building YamlDotNet's node tree recurses once per level: this used to end the process (exit 134).
        string yaml = "flow_lm:\n  " + string.Concat(Enumerable.Repeat(open, 100_000)) + "x" + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";
        ParseError(yaml).ShouldStartWith("t.yaml: not valid YAML: ");
        ParseError(yaml).ShouldEndWith("the document is nested more than 32 levels deep.");
    }

    [Theory]
    [InlineData("-\r :", "The current event is of an unsupported type. (Parameter 'parser')")]
    [InlineData("...\r...\r\r", "The scanner should contain no more tokens.")]
    [InlineData("i[:\n[:\u001c&!\n&  ,", "Operation is not valid due to the current state of the object.")]
    [InlineData("ie:\n!!]:\n&:\n&\n&t", "Global tags must be valid URIs. (Parameter 'value')")]
    public void Yaml_that_trips_the_parsers_own_checks_is_not_valid_yaml(string yaml, string reason)
    {
        // Found by scripts/fuzz.sh yaml: YamlDotNet threw ArgumentException or InvalidOperationException, not YamlException.
        ParseError(yaml).ShouldBe($"t.yaml: not valid YAML: {reason}");
    }

    [Fact]
    public void Text_that_is_not_a_configuration_is_reported()
    {
        ParseError("a: [").ShouldStartWith("t.yaml: not valid YAML");
        ParseError("").ShouldBe("t.yaml: the configuration must be a YAML mapping with the sections flow_lm and mimi.");
        ParseError("- 1\n- 2\n").ShouldBe("t.yaml: the configuration must be a YAML mapping with the sections flow_lm and mimi.");
        ParseError("[1]: x\n").ShouldStartWith("t.yaml: flow_lm is required. mimi is required. [ 1 ] is not a known key");
    }

    [Fact]
    public void A_missing_file_or_a_non_yaml_file_is_reported()
    {
        Should.Throw<FileNotFoundException>(() => ModelConfigLoader.LoadFile("/nonexistent/model.yaml")).Message.ShouldBe("Config file not found: /nonexistent/model.yaml. Did you make a typo?");
        string txt = Path.Combine(_folder, "config.txt");
        File.WriteAllText(txt, "x: 1");
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.LoadFile(txt)).Message.ShouldContain("ending with .yaml");
    }

    [Fact]
    public void A_device_a_fifo_or_an_oversized_file_is_refused_before_it_is_read()
    {
        string fifo = Path.Combine(_folder, "fifo.yaml");
        SpecialFiles.Mkfifo(fifo);
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.LoadFile(fifo)).Message.ShouldBe(
            $"{fifo}: not a regular file but a device, FIFO or socket; the model configuration must be a regular file.");
        string large = Path.Combine(_folder, "large.yaml");
        File.WriteAllText(large, English + "#" + new string('x', ModelConfigLoader.MaxFileBytes));
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.LoadFile(large)).Message.ShouldBe(
            $"{large}: more than 1048576 bytes; the model configuration may have at most 1048576 bytes.");
    }

    [Fact]
    public void A_file_error_names_the_file()
    {
        string path = Path.Combine(_folder, "broken.yml");
        File.WriteAllText(path, Edit(English, "    num_heads: 8\n", ""));
        Should.Throw<InvalidDataException>(() => ModelConfigLoader.LoadFile(path)).Message.ShouldBe($"{path}: mimi.transformer.num_heads is required.");
    }
}
