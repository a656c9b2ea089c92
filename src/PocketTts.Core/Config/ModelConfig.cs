namespace PocketTts.Config;

/// <summary>
/// A model configuration, key for key the reference's YAML schema (<c>pocket_tts/utils/config.py</c>).
/// Loaded by <c>ModelConfigLoader</c>; unknown keys are an error, as in the reference.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>FlowLM settings.</summary>
    public required FlowLmConfig FlowLm { get; init; }

    /// <summary>Mimi codec settings.</summary>
    public required MimiConfig Mimi { get; init; }

    /// <summary>Weights with voice cloning (an <c>hf://</c> URL or a path), if any.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Weights without voice cloning (public), if any.</summary>
    public string? WeightsPathWithoutVoiceCloning { get; init; }

    /// <summary>Pad short inputs with spaces (per-language flag of the reference).</summary>
    public bool PadWithSpacesForShortInputs { get; init; }

    /// <summary>Replace semicolons in the text (per-language flag of the reference).</summary>
    public bool RemoveSemicolons { get; init; }

    /// <summary>The model's recommended frames after end of speech, or null to guess per chunk.</summary>
    public int? ModelRecommendedFramesAfterEos { get; init; }

    /// <summary>Add a full stop to text that does not end with punctuation (3.x schema; default true).</summary>
    public bool AppendTerminalPunctuation { get; init; } = true;

    /// <summary>Upper-case the first letter of each text chunk (3.x schema; default true).</summary>
    public bool CapitalizeFirstLetter { get; init; } = true;

    /// <summary>Per-character rewrites applied before tokenisation, "" deleting (3.x schema; default none).</summary>
    public IReadOnlyDictionary<string, string> ReplaceCharacters { get; init; } = new Dictionary<string, string>();

    /// <summary>The sampling temperature used when a generation does not set one (3.x schema; default 0.3).</summary>
    public double DefaultTemperature { get; init; } = 0.3;

    /// <summary>The folder relative paths in this configuration are resolved against (the YAML file's folder).</summary>
    public string? BaseDirectory { get; init; }
}

/// <summary>FlowLM section.</summary>
public sealed record FlowLmConfig
{
    /// <summary>Weights dtype name (float32).</summary>
    public required string Dtype { get; init; }

    /// <summary>Flow net.</summary>
    public required FlowNetConfig Flow { get; init; }

    /// <summary>Transformer.</summary>
    public required FlowLmTransformerConfig Transformer { get; init; }

    /// <summary>Text lookup table and tokenizer.</summary>
    public required LookupTableConfig LookupTable { get; init; }

    /// <summary>Separate FlowLM weights, if any.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Prepend a learned BOS row to the voice prompt.</summary>
    public bool InsertBosBeforeVoice { get; init; }
}

/// <summary>Flow net (<c>SimpleMLPAdaLN</c>) section.</summary>
public sealed record FlowNetConfig
{
    /// <summary>Width of the MLP.</summary>
    public required int Dim { get; init; }

    /// <summary>Residual blocks.</summary>
    public required int Depth { get; init; }

    /// <summary>How the head turns noise into a latent (<c>type</c>; default LSD).</summary>
    public FlowType Type { get; init; } = FlowType.Lsd;
}

/// <summary>The kinds of flow head of the reference's <c>flow.type</c> (pocket_tts/models/flow_lm.py).</summary>
public enum FlowType
{
    /// <summary><c>lsd</c>: two time conditions (start and target time), Lagrangian Self Distillation steps.</summary>
    Lsd,

    /// <summary><c>drifting</c>: no time conditions; one head pass maps the noise to the latent.</summary>
    Drifting,

    /// <summary><c>flow_matching</c>: one time condition, Euler integration of an optimal-transport flow.</summary>
    FlowMatching,
}

/// <summary>FlowLM transformer section.</summary>
public sealed record FlowLmTransformerConfig
{
    /// <summary>Feed-forward width = d_model × hidden_scale.</summary>
    public required int HiddenScale { get; init; }

    /// <summary>RoPE maximum period.</summary>
    public required int MaxPeriod { get; init; }

    /// <summary>Model width.</summary>
    public required int DModel { get; init; }

    /// <summary>Attention heads.</summary>
    public required int NumHeads { get; init; }

    /// <summary>Layers.</summary>
    public required int NumLayers { get; init; }
}

/// <summary>Text lookup table section.</summary>
public sealed record LookupTableConfig
{
    /// <summary>Embedding width (must equal the FlowLM d_model).</summary>
    public required int Dim { get; init; }

    /// <summary>Tokenizer vocabulary size; the table has n_bins + 1 rows.</summary>
    public required int NBins { get; init; }

    /// <summary>Tokenizer kind: <c>sentencepiece</c> (a <c>tokenizer.model</c>) or <c>tokenizers</c> (a Hugging Face <c>tokenizer.json</c>).</summary>
    public required string Tokenizer { get; init; }

    /// <summary>Tokenizer model (an <c>hf://</c> URL or a path).</summary>
    public required string TokenizerPath { get; init; }
}

/// <summary>Mimi section.</summary>
public sealed record MimiConfig
{
    /// <summary>Weights dtype name (float32).</summary>
    public required string Dtype { get; init; }

    /// <summary>Audio sample rate (24000).</summary>
    public required int SampleRate { get; init; }

    /// <summary>Audio channels (1).</summary>
    public required int Channels { get; init; }

    /// <summary>Latent frame rate (12.5 Hz).</summary>
    public required double FrameRate { get; init; }

    /// <summary>SEANet encoder/decoder.</summary>
    public required SeanetConfig Seanet { get; init; }

    /// <summary>Encoder and decoder transformers.</summary>
    public required MimiTransformerConfig Transformer { get; init; }

    /// <summary>Quantizer (output projection only).</summary>
    public required QuantizerConfig Quantizer { get; init; }

    /// <summary>Separate Mimi weights, if any.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Output width of the downsampling convolution (the latent size), or null for the SEANet dimension.</summary>
    public int? InnerDim { get; init; }

    /// <summary>Input width of the upsampling convolution, or null for the SEANet dimension.</summary>
    public int? OuterDim { get; init; }
}

/// <summary>SEANet section.</summary>
public sealed record SeanetConfig
{
    /// <summary>Output (encoder) / input (decoder) channels.</summary>
    public required int Dimension { get; init; }

    /// <summary>Audio channels.</summary>
    public required int Channels { get; init; }

    /// <summary>Base filter count.</summary>
    public required int NFilters { get; init; }

    /// <summary>Residual blocks per ratio.</summary>
    public required int NResidualLayers { get; init; }

    /// <summary>Up/down-sampling ratios (decoder order; the encoder applies them reversed).</summary>
    public required IReadOnlyList<int> Ratios { get; init; }

    /// <summary>First convolution kernel.</summary>
    public required int KernelSize { get; init; }

    /// <summary>Residual convolution kernel.</summary>
    public required int ResidualKernelSize { get; init; }

    /// <summary>Last convolution kernel.</summary>
    public required int LastKernelSize { get; init; }

    /// <summary>Dilation base of residual blocks.</summary>
    public required int DilationBase { get; init; }

    /// <summary>Padding mode (constant).</summary>
    public required string PadMode { get; init; }

    /// <summary>Residual hidden width divisor.</summary>
    public required int Compress { get; init; }
}

/// <summary>Mimi transformer section.</summary>
public sealed record MimiTransformerConfig
{
    /// <summary>Model width.</summary>
    public required int DModel { get; init; }

    /// <summary>Input width (equal to d_model in every shipped configuration: no projection).</summary>
    public required int InputDimension { get; init; }

    /// <summary>Output widths (one, equal to d_model).</summary>
    public required IReadOnlyList<int> OutputDimensions { get; init; }

    /// <summary>Attention heads.</summary>
    public required int NumHeads { get; init; }

    /// <summary>Layers.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Initial layer-scale value (the weights carry the trained values).</summary>
    public required double LayerScale { get; init; }

    /// <summary>Attention context in steps (250).</summary>
    public required int Context { get; init; }

    /// <summary>RoPE maximum period.</summary>
    public double MaxPeriod { get; init; } = 10000.0;

    /// <summary>Feed-forward width.</summary>
    public required int DimFeedforward { get; init; }
}

/// <summary>Quantizer section.</summary>
public sealed record QuantizerConfig
{
    /// <summary>Latent width (32).</summary>
    public required int Dimension { get; init; }

    /// <summary>Output width of the 1×1 projection.</summary>
    public required int OutputDimension { get; init; }
}
