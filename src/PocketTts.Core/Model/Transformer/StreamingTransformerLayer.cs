using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Transformer;

/// <summary>
/// One pre-norm layer (<c>StreamingTransformerLayer</c> in pocket_tts/modules/transformer.py):
/// x + ls1·attn(norm1(x)), then x + ls2·linear2(gelu(linear1(norm2(x)))). Norms are <c>nn.LayerNorm</c>
/// (eps 1e-5, biased variance); the linears have no bias; GELU is the configuration's activation (tanh-approximate,
/// as the reference uses since 3.0).
/// </summary>
internal sealed class StreamingTransformerLayer : IDisposable
{
    private const float NormEps = 1e-5f;

    private readonly ITensorBackend _backend;
    private readonly ITensor _norm1Weight;          // [d]
    private readonly ITensor _norm1Bias;            // [d]
    private readonly StreamingMultiheadAttention _selfAttn;
    private readonly ITensor? _layerScale1;         // [d], null without layer scale
    private readonly ITensor _norm2Weight;          // [d]
    private readonly ITensor _norm2Bias;            // [d]
    private readonly IPackedLinear _linear1;        // [ff, d]
    private readonly IPackedLinear _linear2;        // [d, ff]
    private readonly ITensor? _layerScale2;         // [d]
    private readonly UnaryOp _activation;

    /// <summary>Loads the tensors of a <c>layers.N</c> scope, quantizing the linear layers of <paramref name="quantize"/>.</summary>
    public StreamingTransformerLayer(ITensorBackend backend, StreamingTransformerConfig config, WeightScope weights, QuantizationGroups quantize)
    {
        _backend = backend;
        _activation = config.Activation;
        int d = config.DModel, ff = config.DimFeedforward;
        _norm1Weight = backend.Constant(weights, "norm1.weight", d);
        _norm1Bias = backend.Constant(weights, "norm1.bias", d);
        _selfAttn = new StreamingMultiheadAttention(backend, config, weights.Scope("self_attn"), quantize.HasFlag(QuantizationGroups.Attention));
        _norm2Weight = backend.Constant(weights, "norm2.weight", d);
        _norm2Bias = backend.Constant(weights, "norm2.bias", d);
        _linear1 = backend.PackLinear(ModelWeights.Linear(weights, "linear1", ff, d, bias: false, quantize.HasFlag(QuantizationGroups.Ffn)));
        _linear2 = backend.PackLinear(ModelWeights.Linear(weights, "linear2", d, ff, bias: false, quantize.HasFlag(QuantizationGroups.Ffn)));
        if (config.LayerScale)
        {
            _layerScale1 = backend.Constant(weights, "layer_scale_1.scale", d);
            _layerScale2 = backend.Constant(weights, "layer_scale_2.scale", d);
        }
    }

    /// <summary>Updates x [rows, d] in place; rows equals <paramref name="workspace"/>.Rows.</summary>
    public void Forward(ITensor x, IKvCache cache, int position, TransformerWorkspace workspace)
    {
        ITensorBackend b = _backend;

        // _sa_block
        b.LayerNorm(x, _norm1Weight, _norm1Bias, NormEps, workspace.Normed);
        _selfAttn.Forward(workspace.Normed, cache, position, workspace);
        AddResidual(x, workspace.Update, _layerScale1);

        // _ff_block
        b.LayerNorm(x, _norm2Weight, _norm2Bias, NormEps, workspace.Normed);
        b.Linear(workspace.Normed, _linear1, workspace.Hidden);
        b.Unary(_activation, workspace.Hidden, workspace.Hidden);
        b.Linear(workspace.Hidden, _linear2, workspace.Update);
        AddResidual(x, workspace.Update, _layerScale2);
    }

    // x + scale · update, in the reference's order (the scale multiplies the branch, then the sum rounds).
    private void AddResidual(ITensor x, ITensor update, ITensor? scale)
    {
        if (scale is not null)
            _backend.Binary(BinaryOp.Multiply, update, scale, update);
        _backend.Binary(BinaryOp.Add, x, update, x);
    }

    public void Dispose()
    {
        _norm1Weight.Dispose();
        _norm1Bias.Dispose();
        _selfAttn.Dispose();
        _layerScale1?.Dispose();
        _norm2Weight.Dispose();
        _norm2Bias.Dispose();
        _linear1.Dispose();
        _linear2.Dispose();
        _layerScale2?.Dispose();
    }
}
