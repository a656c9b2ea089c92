using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// <c>ResBlock</c> of pocket_tts/modules/mlp.py: x + gate · mlp(modulate(in_ln(x), shift, scale)), with
/// (shift, scale, gate) from the AdaLN modulation of y. <c>in_ln</c> is a LayerNorm with eps 1e-6 (not the
/// transformer's 1e-5), biased variance, weight and bias; mlp is Linear → SiLU → Linear, with biases.
/// </summary>
internal sealed class ResBlock : IDisposable
{
    private const float NormEps = 1e-6f;

    private readonly ITensorBackend _backend;
    private readonly ITensor _inLnWeight;           // [dim]
    private readonly ITensor _inLnBias;             // [dim]
    private readonly IPackedLinear _mlp0;           // [dim, dim] + bias
    private readonly IPackedLinear _mlp2;           // [dim, dim] + bias
    private readonly IPackedLinear[] _modulation;   // shift, scale, gate: [dim, dim] + bias each

    /// <summary>Loads a <c>res_blocks.N</c> scope.</summary>
    public ResBlock(ITensorBackend backend, int dim, WeightScope weights)
    {
        _backend = backend;
        _inLnWeight = backend.Constant(weights, "in_ln.weight", dim);
        _inLnBias = backend.Constant(weights, "in_ln.bias", dim);
        _mlp0 = backend.PackLinear(ModelWeights.Linear(weights, "mlp.0", dim, dim, bias: true));
        _mlp2 = backend.PackLinear(ModelWeights.Linear(weights, "mlp.2", dim, dim, bias: true));
        _modulation = AdaLn.LoadModulation(backend, weights, dim, chunks: 3);
    }

    /// <summary>Updates workspace.X in place, conditioned on workspace.SiluY.</summary>
    public void Forward(FlowNetWorkspace workspace)
    {
        ITensorBackend b = _backend;
        b.Linear(workspace.SiluY, _modulation[0], workspace.Shift);
        b.Linear(workspace.SiluY, _modulation[1], workspace.Scale);
        b.Linear(workspace.SiluY, _modulation[2], workspace.Gate);
        b.LayerNorm(workspace.X, _inLnWeight, _inLnBias, NormEps, workspace.H);
        AdaLn.Modulate(b, workspace.H, workspace.Shift, workspace.Scale);
        b.Linear(workspace.H, _mlp0, workspace.H2);
        b.Unary(UnaryOp.Silu, workspace.H2, workspace.H2);
        b.Linear(workspace.H2, _mlp2, workspace.H);
        b.Binary(BinaryOp.Multiply, workspace.Gate, workspace.H, workspace.H);
        b.Binary(BinaryOp.Add, workspace.X, workspace.H, workspace.X);
    }

    public void Dispose()
    {
        _inLnWeight.Dispose();
        _inLnBias.Dispose();
        _mlp0.Dispose();
        _mlp2.Dispose();
        foreach (IPackedLinear m in _modulation)
            m.Dispose();
    }
}
