using PocketTts.Config;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>
/// The tiny model of Fixtures/tiny: its configuration (tiny/config.yaml written out as a record, for stages built
/// without the YAML loader) and its weights.
/// </summary>
public static class TinyModel
{
    /// <summary>tiny/config.yaml, value for value.</summary>
    public static ModelConfig Config { get; } = new()
    {
        WeightsPath = "model.safetensors",
        WeightsPathWithoutVoiceCloning = "model.safetensors",
        BaseDirectory = Fixture.PathOf("tiny"),
        FlowLm = new FlowLmConfig
        {
            InsertBosBeforeVoice = true,
            Dtype = "float32",
            Flow = new FlowNetConfig { Depth = 2, Dim = 64 },
            Transformer = new FlowLmTransformerConfig { DModel = 128, HiddenScale = 4, MaxPeriod = 10000, NumHeads = 2, NumLayers = 2 },
            LookupTable = new LookupTableConfig { Dim = 128, NBins = 4000, Tokenizer = "sentencepiece", TokenizerPath = "../tokenizer.model" },
        },
        Mimi = new MimiConfig
        {
            Dtype = "float32",
            SampleRate = 24000,
            InnerDim = 32,
            OuterDim = 64,
            Channels = 1,
            FrameRate = 12.5,
            Seanet = new SeanetConfig
            {
                Dimension = 64,
                Channels = 1,
                NFilters = 8,
                NResidualLayers = 1,
                Ratios = [6, 5, 4],
                KernelSize = 7,
                ResidualKernelSize = 3,
                LastKernelSize = 3,
                DilationBase = 2,
                PadMode = "constant",
                Compress = 2,
            },
            Transformer = new MimiTransformerConfig
            {
                DModel = 64,
                NumHeads = 2,
                NumLayers = 2,
                LayerScale = 0.01,
                Context = 250,
                DimFeedforward = 128,
                InputDimension = 64,
                OutputDimensions = [64],
            },
            Quantizer = new QuantizerConfig { Dimension = 32, OutputDimension = 64 },
        },
    };

    /// <summary>Opens tiny/model.safetensors (the whole <c>TTSModel.state_dict()</c>).</summary>
    public static SafeTensorsFile OpenWeights() => Fixture.Open("tiny/model.safetensors");

    /// <summary>
    /// A root scope that sees only the tensors whose names <paramref name="include"/> accepts, so that
    /// <see cref="WeightScope.EnsureAllConsumed"/> checks one part of the checkpoint (for example <c>flow_lm.*</c>)
    /// while the other parts are built elsewhere.
    /// </summary>
    public static WeightScope Subset(IWeightSource source, Func<string, bool> include) => new(new SubsetSource(source, include));

    private sealed class SubsetSource(IWeightSource source, Func<string, bool> include) : IWeightSource
    {
        public IReadOnlyCollection<string> Names { get; } = [.. source.Names.Where(include)];

        public bool TryGet(string name, out WeightTensor tensor)
        {
            if (include(name))
                return source.TryGet(name, out tensor);
            tensor = null!;
            return false;
        }
    }
}
