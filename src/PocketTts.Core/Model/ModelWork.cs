using PocketTts.Config;
using PocketTts.Model.Mimi;
using PocketTts.Model.Transformer;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>
/// The work of each stage of a model, from its configuration's shapes, so that a measured time becomes a rate (what
/// <c>pocket-tts bench</c> prints against the machine's peak): multiply-adds of every matrix product and convolution
/// (attention included; norms, activations and other element-wise work left out, as a roofline count does) and the
/// bytes of weights one FlowLM step reads. docs/performance.md gives the formulas ("Reading bench's rates").
/// </summary>
public static class ModelWork
{
    /// <summary>
    /// The tensors one FlowLM step reads whole: the transformer's layers and output norm, the end-of-speech head,
    /// the latent input projection and the flow net.
    /// </summary>
    private static readonly string[] StepPrefixes =
        ["flow_lm.transformer.", "flow_lm.flow_net.", "flow_lm.input_linear.", "flow_lm.out_norm.", "flow_lm.out_eos."];

    /// <summary>
    /// Multiply-adds of the voice prompt for <paramref name="samples"/> of audio: the Mimi encoder over the frames it
    /// encodes (whole chunks of <see cref="MimiEncoderStage.ChunkFrames"/>, the last padded), the speaker projection
    /// and the FlowLM transformer over the prompt's rows.
    /// </summary>
    public static long VoicePromptMultiplyAdds(ModelConfig config, int samples)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dims = MimiDimensions.From(config.Mimi);
        int frames = (samples + dims.FrameSamples - 1) / dims.FrameSamples;
        int chunk = Math.Min(frames, MimiEncoderStage.ChunkFrames);
        long encoded = (frames + chunk - 1) / chunk * chunk;
        long steps = encoded * dims.StepsPerFrame;

        long seanet = SeanetEncoderMultiplyAdds(config.Mimi.Seanet, encoded * dims.FrameSamples);
        long transformer = TransformerMultiplyAdds(StreamingTransformerConfig.FromMimi(config.Mimi.Transformer), 0, steps);
        long downsample = encoded * dims.LatentDim * dims.Dimension * (2L * dims.StepsPerFrame);
        int modelDim = config.FlowLm.Transformer.DModel;
        long speaker = (long)frames * dims.LatentDim * modelDim;
        int rows = frames + (config.FlowLm.InsertBosBeforeVoice ? 1 : 0);
        return seanet + transformer + downsample + speaker + TransformerMultiplyAdds(StreamingTransformerConfig.FromFlowLm(config.FlowLm.Transformer), 0, rows);
    }

    /// <summary>Multiply-adds of the text prompt: the FlowLM transformer over <paramref name="tokens"/> rows after the voice prompt's <paramref name="voiceRows"/>.</summary>
    public static long TextPromptMultiplyAdds(ModelConfig config, int voiceRows, int tokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        return TransformerMultiplyAdds(StreamingTransformerConfig.FromFlowLm(config.FlowLm.Transformer), voiceRows, tokens);
    }

    /// <summary>
    /// Multiply-adds of one Mimi frame, the mean over <paramref name="frames"/> frames decoded one after another from
    /// a fresh state (attention sees more positions as frames go by, up to the context): the quantizer projection,
    /// the depthwise upsampling, the decoder transformer and the SEANet decoder.
    /// </summary>
    public static double MimiFrameMultiplyAdds(ModelConfig config, int frames)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dims = MimiDimensions.From(config.Mimi);
        int stride = dims.StepsPerFrame;
        long perFrame = (long)dims.QuantizerDim * dims.OuterDim              // output_proj, 1×1
                        + (long)dims.OuterDim * 2 * stride                   // ConvTranspose1d, one group per channel, kernel 2·stride
                        + SeanetDecoderMultiplyAdds(config.Mimi.Seanet, stride);
        long transformer = TransformerMultiplyAdds(StreamingTransformerConfig.FromMimi(config.Mimi.Transformer), 0, (long)frames * stride);
        return perFrame + transformer / (double)frames;
    }

    /// <summary>
    /// Bytes of weights one FlowLM step reads (<see cref="StepPrefixes"/>): 4 a float; a matrix <paramref name="groups"/>
    /// quantizes is 1 an element plus a float scale per row.
    /// </summary>
    /// <param name="weights">The checkpoint: only names and shapes are read.</param>
    /// <param name="groups">The matrices stored as int8.</param>
    public static long FlowStepBytes(IWeightSource weights, QuantizationGroups groups)
    {
        ArgumentNullException.ThrowIfNull(weights);
        long bytes = 0;
        foreach (string name in weights.Names)
        {
            if (!StepPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) || !weights.TryGet(name, out WeightTensor tensor))
                continue;
            int[] shape = tensor.Shape;
            long elements = shape.Aggregate(1L, (n, d) => n * d);
            bytes += groups.Selects(name) ? elements + 4L * shape[0] : 4 * elements;
        }
        return bytes;
    }

    /// <summary>
    /// Multiply-adds of a transformer over <paramref name="rows"/> new positions after <paramref name="offset"/>
    /// cached ones. Per layer and row: Q, K, V and output projections 4·d², feed-forward 2·d·ff, and attention
    /// 2·d·n (scores and weighted values over the n positions the row sees: all before it and itself, at most the
    /// context).
    /// </summary>
    internal static long TransformerMultiplyAdds(StreamingTransformerConfig config, long offset, long rows)
    {
        long d = config.DModel;
        long total = 0;
        for (long position = offset + 1; position <= offset + rows; position++)
        {
            long seen = config.Context is int context ? Math.Min(position, context) : position;
            total += 4 * d * d + 2 * d * config.DimFeedforward + 2 * d * seen;
        }
        return total * config.NumLayers;
    }

    /// <summary>
    /// The SEANet encoder over <paramref name="samples"/>: first convolution, then per ratio (reversed) the residual
    /// blocks and the strided convolution that doubles the width, then the last convolution.
    /// </summary>
    internal static long SeanetEncoderMultiplyAdds(SeanetConfig config, long samples)
    {
        long width = config.NFilters, length = samples;
        long total = length * width * config.Channels * config.KernelSize;
        foreach (int ratio in config.Ratios.Reverse())
        {
            total += length * ResidualBlocks(config, width);
            length /= ratio;
            total += length * (2 * width) * width * (2L * ratio);
            width *= 2;
        }
        return total + length * config.Dimension * width * config.LastKernelSize;
    }

    /// <summary>
    /// The SEANet decoder over <paramref name="steps"/> latent steps: first convolution, then per ratio the
    /// transposed convolution that halves the width (each input step meets every tap of its kernel) and the
    /// residual blocks, then the last convolution.
    /// </summary>
    internal static long SeanetDecoderMultiplyAdds(SeanetConfig config, long steps)
    {
        long width = (long)config.NFilters << config.Ratios.Count, length = steps;
        long total = length * width * config.Dimension * config.KernelSize;
        foreach (int ratio in config.Ratios)
        {
            total += length * width * (width / 2) * (2L * ratio);
            length *= ratio;
            width /= 2;
            total += length * ResidualBlocks(config, width);
        }
        return total + length * config.Channels * width * config.LastKernelSize;
    }

    /// <summary>Per step, the residual blocks at <paramref name="width"/>: width → width/compress with the residual kernel, then back with kernel 1.</summary>
    private static long ResidualBlocks(SeanetConfig config, long width)
    {
        long hidden = width / config.Compress;
        return config.NResidualLayers * (width * hidden * config.ResidualKernelSize + hidden * width);
    }
}
