using PocketTts.Config;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// Builds the SEANet encoder and decoder (reference: <c>SEANetEncoder</c>, <c>SEANetDecoder</c> in
/// <c>pocket_tts/modules/seanet.py</c>) as streaming sequences. Weights are found by <c>nn.ModuleList</c> index, where
/// each <c>nn.ELU</c> takes a slot of its own: a running index reproduces the numbering, as candle's
/// <c>seanet.rs</c> does. The ELUs themselves are fused into the convolution they precede.
/// </summary>
internal static class Seanet
{
    /// <summary>
    /// Audio [Channels, T] → features [Dimension, T / hop]: conv, then per ratio (in <b>reversed</b> order, 4, 5, 6)
    /// residual blocks and ELU + strided conv (kernel 2·ratio) doubling the width, then ELU + last conv.
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="config">The SEANet settings.</param>
    /// <param name="weights">The encoder's scope, <c>mimi.encoder</c>.</param>
    public static StreamingSequence BuildEncoder(ITensorBackend backend, SeanetConfig config, WeightScope weights)
    {
        PadMode pad = Validate(config);
        int index = 0, width = config.NFilters;
        var layers = new List<IStreamingLayer>
        {
            new StreamingConv1d(backend, new(config.Channels, width, config.KernelSize, Pad: pad), weights.Scope("model", index++)),
        };
        foreach (int ratio in config.Ratios.Reverse())
        {
            AddResidualBlocks(layers, backend, config, width, pad, weights, ref index);
            index++;    // nn.ELU
            layers.Add(new StreamingConv1d(backend, new(width, width * 2, ratio * 2, ratio, Pad: pad, EluInput: true), weights.Scope("model", index++)));
            width *= 2;
        }
        index++;        // nn.ELU
        layers.Add(new StreamingConv1d(backend, new(width, config.Dimension, config.LastKernelSize, Pad: pad, EluInput: true), weights.Scope("model", index)));
        return new StreamingSequence(backend, layers);
    }

    /// <summary>
    /// Features [Dimension, T] → audio [Channels, T·hop]: conv, then per ratio (in listed order, 6, 5, 4) ELU +
    /// transposed conv (kernel 2·ratio, stride ratio) halving the width and residual blocks, then ELU + last conv.
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="config">The SEANet settings.</param>
    /// <param name="weights">The decoder's scope, <c>mimi.decoder</c>.</param>
    public static StreamingSequence BuildDecoder(ITensorBackend backend, SeanetConfig config, WeightScope weights)
    {
        PadMode pad = Validate(config);
        int index = 0, width = config.NFilters << config.Ratios.Count;
        var layers = new List<IStreamingLayer>
        {
            new StreamingConv1d(backend, new(config.Dimension, width, config.KernelSize, Pad: pad), weights.Scope("model", index++)),
        };
        foreach (int ratio in config.Ratios)
        {
            index++;    // nn.ELU
            layers.Add(new StreamingConvTranspose1d(backend, new(width, width / 2, ratio * 2, ratio, EluInput: true), weights.Scope("model", index++)));
            width /= 2;
            AddResidualBlocks(layers, backend, config, width, pad, weights, ref index);
        }
        index++;        // nn.ELU
        layers.Add(new StreamingConv1d(backend, new(width, config.Channels, config.LastKernelSize, Pad: pad, EluInput: true), weights.Scope("model", index)));
        return new StreamingSequence(backend, layers);
    }

    /// <summary>Product of the ratios: audio samples per feature step (120 for 6, 5, 4).</summary>
    public static int HopLength(SeanetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Ratios.Aggregate(1, (hop, ratio) => hop * ratio);
    }

    private static void AddResidualBlocks(List<IStreamingLayer> layers, ITensorBackend backend, SeanetConfig config, int width, PadMode pad,
                                          WeightScope weights, ref int index)
    {
        int dilation = 1;
        for (int j = 0; j < config.NResidualLayers; j++, dilation *= config.DilationBase)
            layers.Add(new SeanetResnetBlock(backend, width, config.ResidualKernelSize, dilation, config.Compress, pad, weights.Scope("model", index++)));
    }

    private static PadMode Validate(SeanetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Ratios.Count == 0 || config.Ratios.Any(r => r <= 0))
            throw new ArgumentException($"SEANet ratios [{string.Join(", ", config.Ratios)}] must be a non-empty list of positive integers.", nameof(config));
        if (config.NFilters <= 0 || config.Dimension <= 0 || config.Channels <= 0 || config.NResidualLayers < 0 || config.DilationBase <= 0)
            throw new ArgumentException($"SEANet n_filters ({config.NFilters}), dimension ({config.Dimension}), channels ({config.Channels}) and dilation_base ({config.DilationBase}) must be positive and n_residual_layers ({config.NResidualLayers}) at least 0.", nameof(config));
        return config.PadMode switch
        {
            "constant" => PadMode.Constant,
            "replicate" => PadMode.Replicate,
            _ => throw new ArgumentException($"SEANet pad_mode '{config.PadMode}' is not supported: streaming convolutions accept 'constant' or 'replicate'.", nameof(config)),
        };
    }
}
