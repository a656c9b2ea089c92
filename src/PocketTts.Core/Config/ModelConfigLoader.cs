using PocketTts.Backends;
using PocketTts.IO;
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

    /// <summary>The deepest nesting of mappings and lists accepted (the schema needs four levels).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The largest width, head count, layer count or kernel size accepted: far above any shipped model (d_model 1024),
    /// far below sizes whose buffers would exhaust memory before the weights' shapes are compared with them.
    /// </summary>
    public const int MaxDimension = 1 << 16;

    /// <summary>The largest tokenizer vocabulary (n_bins) accepted.</summary>
    public const int MaxVocabulary = 1 << 24;

    /// <summary>The highest sample rate accepted, in Hz.</summary>
    public const int MaxSampleRate = 384_000;

    /// <summary>The weight dtypes a configuration may name; computation is float32 whichever is named.</summary>
    public static IReadOnlyList<string> Dtypes { get; } = ["float32", "float16", "bfloat16"];

    /// <summary>The largest configuration file read (1 MiB; the shipped ones have about 1 kB).</summary>
    public const int MaxFileBytes = 1 << 20;

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
    /// <exception cref="InvalidDataException">The file is not a valid configuration (the message names the key), not a
    /// regular file, or larger than <see cref="MaxFileBytes"/>.</exception>
    public static ModelConfig LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Config file not found: {full}. Did you make a typo?", full);
        if (Path.GetExtension(full) is not (".yaml" or ".yml"))
            throw new InvalidDataException($"{full}: a model configuration is a YAML file ending with .yaml or .yml.");
        using var text = new StreamReader(new MemoryStream(InputFile.ReadAllBytes(full, MaxFileBytes, "model configuration")));
        return Parse(text.ReadToEnd(), full, Path.GetDirectoryName(full));
    }

    /// <summary>Loads the configuration file of a model's files.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid configuration; the message names the key.</exception>
    public static ModelConfig Load(ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return LoadFile(source.ConfigPath);
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
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(yaml)), MaxDepth));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid YAML: {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's own consistency checks throw these on some malformed documents (found by fuzzing, kept
            // in tests/Unit/TestData/fuzz/yaml); they mean the same as a YamlException here.
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
            ModelRecommendedFramesAfterEos = r.OptionalInt("model_recommended_frames_after_eos", 0, MaxDimension),
            AppendTerminalPunctuation = r.OptionalBool("append_terminal_punctuation") ?? true,
            CapitalizeFirstLetter = r.OptionalBool("capitalize_first_letter") ?? true,
            ReplaceCharacters = r.OptionalStringMap("replace_characters"),
            DefaultTemperature = ReadTemperature(r),
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
            Dtype = s.OneOf("dtype", [.. Dtypes]),
            Flow = new FlowNetConfig
            {
                Dim = flow.Int("dim", 1, MaxDimension),
                Depth = flow.Int("depth", 1, MaxDimension),
                Type = flow.OptionalOneOf("type", "lsd", "drifting", "flow_matching") switch
                {
                    "drifting" => FlowType.Drifting,
                    "flow_matching" => FlowType.FlowMatching,
                    _ => FlowType.Lsd,
                },
            },
            Transformer = new FlowLmTransformerConfig
            {
                HiddenScale = transformer.Int("hidden_scale", 1, MaxDimension),
                MaxPeriod = transformer.Int("max_period", 1, int.MaxValue),
                DModel = CheckHeads(transformer, transformer.Int("d_model", 1, MaxDimension), transformer.Int("num_heads", 1, MaxDimension), out int heads),
                NumHeads = heads,
                NumLayers = transformer.Int("num_layers", 1, MaxDimension),
            },
            LookupTable = new LookupTableConfig
            {
                Dim = table.Int("dim", 1, MaxDimension),
                NBins = table.Int("n_bins", 1, MaxVocabulary),
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
            Dtype = s.OneOf("dtype", [.. Dtypes]),
            SampleRate = s.Int("sample_rate", 1, MaxSampleRate),
            Channels = s.Int("channels", 1, MaxDimension),
            FrameRate = s.PositiveDouble("frame_rate"),
            Seanet = new SeanetConfig
            {
                Dimension = seanet.Int("dimension", 1, MaxDimension),
                Channels = seanet.Int("channels", 1, MaxDimension),
                NFilters = seanet.Int("n_filters", 1, MaxDimension),
                NResidualLayers = seanet.Int("n_residual_layers", 0, MaxDimension),
                Ratios = seanet.IntList("ratios", 1, MaxDimension),
                KernelSize = seanet.Int("kernel_size", 1, MaxDimension),
                ResidualKernelSize = seanet.Int("residual_kernel_size", 1, MaxDimension),
                LastKernelSize = seanet.Int("last_kernel_size", 1, MaxDimension),
                DilationBase = seanet.Int("dilation_base", 1, MaxDimension),
                PadMode = seanet.OneOf("pad_mode", "constant", "replicate"),
                Compress = seanet.Int("compress", 1, MaxDimension),
            },
            Transformer = new MimiTransformerConfig
            {
                DModel = CheckHeads(transformer, transformer.Int("d_model", 1, MaxDimension), transformer.Int("num_heads", 1, MaxDimension), out int heads),
                InputDimension = transformer.Int("input_dimension", 1, MaxDimension),
                OutputDimensions = transformer.IntList("output_dimensions", 1, MaxDimension),
                NumHeads = heads,
                NumLayers = transformer.Int("num_layers", 1, MaxDimension),
                LayerScale = transformer.Double("layer_scale"),
                Context = transformer.Int("context", 1, MaxDimension),
                MaxPeriod = transformer.OptionalPositiveDouble("max_period") ?? 10000.0,
                DimFeedforward = transformer.Int("dim_feedforward", 1, MaxDimension),
            },
            Quantizer = new QuantizerConfig
            {
                Dimension = quantizer.Int("dimension", 1, MaxDimension),
                OutputDimension = quantizer.Int("output_dimension", 1, MaxDimension),
            },
            WeightsPath = Resolve(s.OptionalString("weights_path"), baseDirectory),
            InnerDim = s.OptionalInt("inner_dim", 1, MaxDimension),
            OuterDim = s.OptionalInt("outer_dim", 1, MaxDimension),
        };
    }

    /// <summary>
    /// d_model, once both it and num_heads are in range, must split into heads of an even width: the head width
    /// divides d_model (0 heads once divided by zero here), and RoPE rotates features in pairs.
    /// </summary>
    private static int CheckHeads(YamlSection transformer, int dModel, int numHeads, out int heads)
    {
        heads = numHeads;
        if (dModel > 0 && numHeads > 0)
            transformer.Require(dModel % (2 * numHeads) == 0, "d_model", $"must be num_heads ({numHeads}) × an even head width, got {dModel}");
        return dModel;
    }

    private static double ReadTemperature(YamlSection r)
    {
        double temperature = r.OptionalDouble("default_temperature") ?? 0.3;
        r.Require(double.IsFinite(temperature) && temperature >= 0, "default_temperature", $"must be a finite number of at least 0, got {temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return temperature;
    }

    /// <summary>URLs (hf://, http(s)://) and absolute paths stay as they are; relative paths join the base folder.</summary>
    private static string? Resolve(string? reference, string? baseDirectory)
    {
        if (reference is null || baseDirectory is null || reference.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(reference))
            return reference;
        return Path.GetFullPath(Path.Combine(baseDirectory, reference));
    }
}
