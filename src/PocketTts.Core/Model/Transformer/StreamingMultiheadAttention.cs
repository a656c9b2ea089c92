using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Transformer;

/// <summary>
/// Causal self-attention through a KV cache (<c>StreamingMultiheadAttention</c> in pocket_tts/modules/transformer.py).
/// The checkpoint's fused <c>in_proj.weight</c> [3·d, d] is laid out (q | k | v); it is split at load into three
/// projections so each writes its own tensor. RoPE rotates q and k at absolute positions, so a prompt pass and a
/// streaming step run the same code and only the position differs.
/// </summary>
internal sealed class StreamingMultiheadAttention : IDisposable
{
    private readonly ITensorBackend _backend;
    private readonly StreamingTransformerConfig _config;
    private readonly IPackedLinear _q;          // [d, d], no bias
    private readonly IPackedLinear _k;          // [d, d]
    private readonly IPackedLinear _v;          // [d, d]
    private readonly IPackedLinear _outProj;    // [d, d]

    /// <summary>
    /// Loads <c>in_proj.weight</c> and <c>out_proj.weight</c> from a <c>layers.N.self_attn</c> scope, quantizing them
    /// to int8 when <paramref name="quantize"/>.
    /// </summary>
    public StreamingMultiheadAttention(ITensorBackend backend, StreamingTransformerConfig config, WeightScope weights, bool quantize)
    {
        _backend = backend;
        _config = config;
        int d = config.DModel;
        LinearWeights inProj = ModelWeights.Linear(weights, "in_proj", 3 * d, d, bias: false, quantize);
        _q = backend.PackLinear(inProj.Rows(0, d));
        _k = backend.PackLinear(inProj.Rows(d, d));
        _v = backend.PackLinear(inProj.Rows(2 * d, d));
        _outProj = backend.PackLinear(ModelWeights.Linear(weights, "out_proj", d, d, bias: false, quantize));
    }

    /// <summary>
    /// Attends from x [rows, d] (already normalised) at positions <paramref name="position"/> … position + rows − 1,
    /// storing its keys and values in <paramref name="cache"/>; the projected result goes to
    /// <paramref name="workspace"/>.Update. Overwrites workspace.Normed, which may hold x.
    /// </summary>
    public void Forward(ITensor x, IKvCache cache, int position, TransformerWorkspace workspace)
    {
        ITensorBackend b = _backend;
        b.Linear(x, _q, workspace.Q);
        b.Linear(x, _k, workspace.K);
        b.Linear(x, _v, workspace.V);
        b.Rope(workspace.Q, _config.NumHeads, position, _config.MaxPeriod, workspace.Q);
        b.Rope(workspace.K, _config.NumHeads, position, _config.MaxPeriod, workspace.K);
        b.Attention(workspace.Q, workspace.K, workspace.V, cache, position, workspace.Normed);
        b.Linear(workspace.Normed, _outProj, workspace.Update);
    }

    public void Dispose()
    {
        _q.Dispose();
        _k.Dispose();
        _v.Dispose();
        _outProj.Dispose();
    }
}
