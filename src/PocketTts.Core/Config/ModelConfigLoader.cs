using PocketTts.Backends;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PocketTts.Config;

/// <summary>
/// Reads model configurations in the reference's YAML schema (<c>pocket_tts/utils/config.py</c>): the built-in
/// language configurations embedded in this assembly, or a file. As in the reference, unknown keys are errors
/// ("Did you make a typo?"), and so are missing required keys; relative paths in a file are resolved against
/// the file's folder.
/// </summary>
public static class ModelConfigLoader
{
    private const string ResourcePrefix = "PocketTts.Config.Languages.";

    /// <summary>The built-in language configurations, by name (english, french_24l, …).</summary>
    public static IReadOnlyList<string> Languages { get; } =
        [.. typeof(ModelConfigLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".yaml".Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>Loads a built-in language configuration.</summary>
    /// <exception cref="ArgumentException">Unknown language; the message lists the available ones.</exception>
    public static ModelConfig LoadLanguage(string language) => Parse(ReadLanguageYaml(language), $"built-in configuration '{language}'", baseDirectory: null);

    /// <summary>The YAML text of a built-in language configuration.</summary>
    /// <exception cref="ArgumentException">Unknown language; the message lists the available ones.</exception>
    public static string ReadLanguageYaml(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        using Stream? stream = typeof(ModelConfigLoader).Assembly.GetManifestResourceStream(ResourcePrefix + language + ".yaml");
        if (stream is null)
            throw UnknownLanguage(language);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The error for a language that is not built in, listing those that are (the reference's "Did you make a typo?").</summary>
    internal static ArgumentException UnknownLanguage(string language) =>
        new($"Unknown language '{language}'. Did you make a typo? Available languages: {string.Join(", ", Languages)}.", nameof(language));

    /// <summary>Loads a configuration file; relative paths in it are resolved against its folder.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid configuration; the message names the key.</exception>
    public static ModelConfig LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Config file not found: {full}. Did you make a typo?", full);
        if (Path.GetExtension(full) is not (".yaml" or ".yml"))
            throw new InvalidDataException($"{full}: a model configuration is a YAML file ending with .yaml or .yml.");
        return Parse(File.ReadAllText(full), full, Path.GetDirectoryName(full));
    }

    /// <summary>Loads the configuration file of a model's files, with the numerics the source asks for.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid configuration; the message names the key.</exception>
    public static ModelConfig Load(ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return LoadFile(source.ConfigPath) with { Numerics = source.Numerics };
    }

    /// <summary>Parses configuration YAML; <paramref name="source"/> names it in error messages.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="source">Names the configuration in error messages (a path, or "built-in configuration 'english'").</param>
    /// <param name="baseDirectory">The folder relative paths are resolved against; null leaves them as they are.</param>
    /// <exception cref="InvalidDataException">The YAML is not a valid configuration; the message names every missing, mistyped or unknown key.</exception>
    public static ModelConfig Parse(string yaml, string source, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{source}: the configuration must be a YAML mapping with the sections flow_lm and mimi.");
        var r = YamlSection.Root(root);
        var config = new ModelConfig
        {
            FlowLm = ReadFlowLm(r.Child("flow_lm"), baseDirectory),
            Mimi = ReadMimi(r.Child("mimi"), baseDirectory),
            WeightsPath = Resolve(r.OptionalString("weights_path"), baseDirectory),
            WeightsPathWithoutVoiceCloning = Resolve(r.OptionalString("weights_path_without_voice_cloning"), baseDirectory),
            PadWithSpacesForShortInputs = r.OptionalBool("pad_with_spaces_for_short_inputs") ?? false,
            RemoveSemicolons = r.OptionalBool("remove_semicolons") ?? false,
            ModelRecommendedFramesAfterEos = r.OptionalInt("model_recommended_frames_after_eos"),
            AppendTerminalPunctuation = r.OptionalBool("append_terminal_punctuation") ?? true,
            CapitalizeFirstLetter = r.OptionalBool("capitalize_first_letter") ?? true,
            ReplaceCharacters = r.OptionalStringMap("replace_characters"),
            DefaultTemperature = r.OptionalDouble("default_temperature") ?? 0.3,
            BaseDirectory = baseDirectory,
        };
        r.ThrowIfInvalid(source);
        return config;
    }

    private static FlowLmConfig ReadFlowLm(YamlSection s, string? baseDirectory)
    {
        YamlSection flow = s.Child("flow"), transformer = s.Child("transformer"), table = s.Child("lookup_table");
        return new FlowLmConfig
        {
            Dtype = s.String("dtype"),
            Flow = new FlowNetConfig
            {
                Dim = flow.Int("dim"),
                Depth = flow.Int("depth"),
                Type = flow.OptionalOneOf("type", "lsd", "drifting", "flow_matching") switch
                {
                    "drifting" => FlowType.Drifting,
                    "flow_matching" => FlowType.FlowMatching,
                    _ => FlowType.Lsd,
                },
            },
            Transformer = new FlowLmTransformerConfig
            {
                HiddenScale = transformer.Int("hidden_scale"),
                MaxPeriod = transformer.Int("max_period"),
                DModel = transformer.Int("d_model"),
                NumHeads = transformer.Int("num_heads"),
                NumLayers = transformer.Int("num_layers"),
            },
            LookupTable = new LookupTableConfig
            {
                Dim = table.Int("dim"),
                NBins = table.Int("n_bins"),
                Tokenizer = table.OneOf("tokenizer", "sentencepiece", "tokenizers"),
                TokenizerPath = Resolve(table.String("tokenizer_path"), baseDirectory)!,
            },
            WeightsPath = Resolve(s.OptionalString("weights_path"), baseDirectory),
            InsertBosBeforeVoice = s.OptionalBool("insert_bos_before_voice") ?? false,
        };
    }

    private static MimiConfig ReadMimi(YamlSection s, string? baseDirectory)
    {
        YamlSection seanet = s.Child("seanet"), transformer = s.Child("transformer"), quantizer = s.Child("quantizer");
        return new MimiConfig
        {
            Dtype = s.String("dtype"),
            SampleRate = s.Int("sample_rate"),
            Channels = s.Int("channels"),
            FrameRate = s.Double("frame_rate"),
            Seanet = new SeanetConfig
            {
                Dimension = seanet.Int("dimension"),
                Channels = seanet.Int("channels"),
                NFilters = seanet.Int("n_filters"),
                NResidualLayers = seanet.Int("n_residual_layers"),
                Ratios = seanet.IntList("ratios"),
                KernelSize = seanet.Int("kernel_size"),
                ResidualKernelSize = seanet.Int("residual_kernel_size"),
                LastKernelSize = seanet.Int("last_kernel_size"),
                DilationBase = seanet.Int("dilation_base"),
                PadMode = seanet.String("pad_mode"),
                Compress = seanet.Int("compress"),
            },
            Transformer = new MimiTransformerConfig
            {
                DModel = transformer.Int("d_model"),
                InputDimension = transformer.Int("input_dimension"),
                OutputDimensions = transformer.IntList("output_dimensions"),
                NumHeads = transformer.Int("num_heads"),
                NumLayers = transformer.Int("num_layers"),
                LayerScale = transformer.Double("layer_scale"),
                Context = transformer.Int("context"),
                MaxPeriod = transformer.OptionalDouble("max_period") ?? 10000.0,
                DimFeedforward = transformer.Int("dim_feedforward"),
            },
            Quantizer = new QuantizerConfig { Dimension = quantizer.Int("dimension"), OutputDimension = quantizer.Int("output_dimension") },
            WeightsPath = Resolve(s.OptionalString("weights_path"), baseDirectory),
            InnerDim = s.OptionalInt("inner_dim"),
            OuterDim = s.OptionalInt("outer_dim"),
        };
    }

    /// <summary>URLs (hf://, http(s)://) and absolute paths stay as they are; relative paths join the base folder.</summary>
    private static string? Resolve(string? reference, string? baseDirectory)
    {
        if (reference is null || baseDirectory is null || reference.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(reference))
            return reference;
        return Path.GetFullPath(Path.Combine(baseDirectory, reference));
    }
}
