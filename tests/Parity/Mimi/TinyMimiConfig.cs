using PocketTts.Config;

namespace PocketTts.Tests.Parity.Mimi;

/// <summary>The configuration of tests/Parity/Fixtures/tiny/config.yaml, written out by hand.</summary>
internal static class TinyMimiConfig
{
    public static ModelConfig Model { get; } = new()
    {
        FlowLm = new FlowLmConfig
        {
            Dtype = "float32",
            InsertBosBeforeVoice = true,
            Flow = new FlowNetConfig { Dim = 64, Depth = 2 },
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
        WeightsPath = "model.safetensors",
        WeightsPathWithoutVoiceCloning = "model.safetensors",
    };
}
