using System.Globalization;
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
            throw new ArgumentException($"Unknown language '{language}'. Did you make a typo? Available languages: {string.Join(", ", Languages)}.", nameof(language));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

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

    /// <summary>Parses configuration YAML; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The YAML is not a valid configuration.</exception>
    public static ModelConfig Parse(string yaml, string source, string? baseDirectory)
    {
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
            throw new InvalidDataException($"{source}: the configuration must be a YAML mapping.");
        var r = new Section(root, "", source);
        var config = new ModelConfig
        {
            FlowLm = ReadFlowLm(r.Child("flow_lm"), baseDirectory),
            Mimi = ReadMimi(r.Child("mimi"), baseDirectory),
            WeightsPath = Resolve(r.OptionalString("weights_path"), baseDirectory),
            WeightsPathWithoutVoiceCloning = Resolve(r.OptionalString("weights_path_without_voice_cloning"), baseDirectory),
            PadWithSpacesForShortInputs = r.OptionalBool("pad_with_spaces_for_short_inputs") ?? false,
            RemoveSemicolons = r.OptionalBool("remove_semicolons") ?? false,
            ModelRecommendedFramesAfterEos = r.OptionalInt("model_recommended_frames_after_eos"),
            BaseDirectory = baseDirectory,
        };
        r.EnsureNoUnknownKeys();
        return config;
    }

    private static FlowLmConfig ReadFlowLm(Section s, string? baseDirectory)
    {
        Section flow = s.Child("flow"), transformer = s.Child("transformer"), table = s.Child("lookup_table");
        var config = new FlowLmConfig
        {
            Dtype = s.String("dtype"),
            Flow = new FlowNetConfig { Dim = flow.Int("dim"), Depth = flow.Int("depth") },
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
                Tokenizer = table.String("tokenizer"),
                TokenizerPath = Resolve(table.String("tokenizer_path"), baseDirectory)!,
            },
            WeightsPath = Resolve(s.OptionalString("weights_path"), baseDirectory),
            InsertBosBeforeVoice = s.OptionalBool("insert_bos_before_voice") ?? false,
        };
        foreach (Section section in new[] { flow, transformer, table, s })
            section.EnsureNoUnknownKeys();
        return config;
    }

    private static MimiConfig ReadMimi(Section s, string? baseDirectory)
    {
        Section seanet = s.Child("seanet"), transformer = s.Child("transformer"), quantizer = s.Child("quantizer");
        var config = new MimiConfig
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
        foreach (Section section in new[] { seanet, transformer, quantizer, s })
            section.EnsureNoUnknownKeys();
        return config;
    }

    /// <summary>hf://, http(s):// and absolute paths stay as they are; relative paths join the base folder.</summary>
    private static string? Resolve(string? reference, string? baseDirectory)
    {
        if (reference is null || baseDirectory is null || reference.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(reference))
            return reference;
        return Path.GetFullPath(Path.Combine(baseDirectory, reference));
    }

    /// <summary>One mapping of the YAML, remembering which keys were read so unknown ones can be reported.</summary>
    private sealed class Section(YamlMappingNode node, string path, string source)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public Section Child(string key) => Value(key) is YamlMappingNode m
            ? new Section(m, Path(key) + ".", source)
            : throw Error(key, "must be a mapping");

        public string String(string key) => OptionalString(key) ?? throw Error(key, "is required");

        public string? OptionalString(string key) => Value(key, optional: true) switch
        {
            null => null,
            YamlScalarNode { Value: null or "null" or "~" or "" } => null,
            YamlScalarNode scalar => scalar.Value,
            _ => throw Error(key, "must be a string"),
        };

        public int Int(string key) => OptionalInt(key) ?? throw Error(key, "is required");

        public int? OptionalInt(string key) => OptionalString(key) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw Error(key, $"must be an integer, got '{text}'")
            : null;

        public double Double(string key) => OptionalDouble(key) ?? throw Error(key, "is required");

        public double? OptionalDouble(string key) => OptionalString(key) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Error(key, $"must be a number, got '{text}'")
            : null;

        public bool? OptionalBool(string key) => OptionalString(key)?.ToLowerInvariant() switch
        {
            null => null,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            string other => throw Error(key, $"must be true or false, got '{other}'"),
        };

        public IReadOnlyList<int> IntList(string key) => Value(key) is YamlSequenceNode sequence
            ? [.. sequence.Children.Select(c => c is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : throw Error(key, "must be a list of integers"))]
            : throw Error(key, "must be a list of integers");

        public void EnsureNoUnknownKeys()
        {
            var unknown = node.Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? "").Where(k => !_read.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new InvalidDataException($"{source}: unknown key(s) {string.Join(", ", unknown.Select(Path))}. Did you make a typo?");
        }

        private YamlNode? Value(string key, bool optional = false)
        {
            _read.Add(key);
            if (node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
                return value;
            return optional ? null : throw Error(key, "is required");
        }

        private string Path(string key) => path + key;

        private InvalidDataException Error(string key, string problem) => new($"{source}: {Path(key)} {problem}.");
    }
}
