using PocketTts.Config;

namespace PocketTts.Hub;

/// <summary>The files a model configuration names, as references (<c>hf://</c>, <c>http(s)://</c> or paths).</summary>
public sealed record ModelFileReferences
{
    /// <summary>The YAML configuration, or null for a built-in one.</summary>
    public string? Config { get; init; }

    /// <summary><c>weights_path</c>: the weights with voice cloning (a gated repository), or null.</summary>
    public string? Weights { get; init; }

    /// <summary><c>weights_path_without_voice_cloning</c>: the public weights, or null.</summary>
    public string? WeightsWithoutVoiceCloning { get; init; }

    /// <summary><c>flow_lm.lookup_table.tokenizer_path</c>: the SentencePiece model.</summary>
    public required string Tokenizer { get; init; }

    /// <summary>The folder relative local paths are resolved against (the configuration's folder); null for the
    /// current directory.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The references of a loaded configuration.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="configPath">Where it was read from, or null for a built-in one.</param>
    public static ModelFileReferences FromConfig(ModelConfig config, string? configPath = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ModelFileReferences
        {
            Config = configPath,
            Weights = config.WeightsPath,
            WeightsWithoutVoiceCloning = config.WeightsPathWithoutVoiceCloning,
            Tokenizer = config.FlowLm.LookupTable.TokenizerPath,
            BaseDirectory = config.BaseDirectory,
        };
    }
}
