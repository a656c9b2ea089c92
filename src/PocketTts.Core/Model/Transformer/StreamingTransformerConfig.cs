using PocketTts.Config;
using PocketTts.Tensors;

namespace PocketTts.Model.Transformer;

/// <summary>
/// The shape of a <see cref="StreamingTransformer"/> (<c>StreamingTransformer</c> in
/// pocket_tts/modules/transformer.py): FlowLM uses it without layer scale and with unlimited context, the
/// Mimi encoder and decoder with layer scale and a 250-step context.
/// </summary>
/// <param name="DModel">Model width.</param>
/// <param name="NumHeads">Attention heads; <c>DModel / NumHeads</c> must be even (RoPE rotates pairs).</param>
/// <param name="NumLayers">Layers.</param>
/// <param name="DimFeedforward">Hidden width of the feed-forward block.</param>
/// <param name="MaxPeriod">RoPE maximum period.</param>
/// <param name="LayerScale">True when both residual branches are scaled by trained <c>layer_scale_N.scale</c> vectors.</param>
/// <param name="Context">Attention window in steps (a query sees the last <c>Context</c> positions), or null for unlimited.</param>
/// <param name="Activation">The feed-forward activation: tanh-approximate GELU, as the reference uses since 3.0 for every model.</param>
internal sealed record StreamingTransformerConfig(
    int DModel, int NumHeads, int NumLayers, int DimFeedforward, float MaxPeriod, bool LayerScale, int? Context, UnaryOp Activation = UnaryOp.GeluTanh)
{
    /// <summary>Features per head.</summary>
    public int HeadDim => DModel / NumHeads;

    /// <summary>FlowLM's transformer: feed-forward width d_model × hidden_scale, no layer scale, unlimited context.</summary>
    public static StreamingTransformerConfig FromFlowLm(FlowLmTransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.DModel, config.NumHeads, config.NumLayers, config.DModel * config.HiddenScale, config.MaxPeriod, LayerScale: false, Context: null);
    }

    /// <summary>The Mimi encoder/decoder transformer: layer scale on, context-limited attention.</summary>
    public static StreamingTransformerConfig FromMimi(MimiTransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.DModel, config.NumHeads, config.NumLayers, config.DimFeedforward, (float)config.MaxPeriod, LayerScale: true, Context: config.Context);
    }

    /// <summary>Throws when a field is out of range.</summary>
    /// <exception cref="ArgumentException">The message names the field.</exception>
    public void Validate()
    {
        if (DModel <= 0 || NumHeads <= 0 || NumLayers <= 0 || DimFeedforward <= 0)
            throw new ArgumentException($"Invalid transformer {this}: DModel, NumHeads, NumLayers and DimFeedforward must be positive.");
        if (DModel % NumHeads != 0 || HeadDim % 2 != 0)
            throw new ArgumentException($"Invalid transformer {this}: DModel must be NumHeads × an even head size.");
        if (!(MaxPeriod > 0))
            throw new ArgumentException($"Invalid transformer {this}: MaxPeriod must be positive.");
        if (Context is <= 0)
            throw new ArgumentException($"Invalid transformer {this}: Context must be positive or null.");
    }
}
