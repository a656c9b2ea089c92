using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// <c>FinalLayer</c> of pocket_tts/modules/mlp.py: linear(modulate(norm_final(x), shift, scale)).
/// <c>norm_final</c> is a LayerNorm with eps 1e-6 and no affine parameters.
/// </summary>
internal sealed class FinalLayer : IDisposable
{
    private const float NormEps = 1e-6f;

    private readonly ITensorBackend _backend;
    private readonly IPackedLinear _linear;         // [latentDim, dim] + bias
    private readonly IPackedLinear[] _modulation;   // shift, scale: [dim, dim] + bias each

    /// <summary>Loads the <c>final_layer</c> scope.</summary>
    public FinalLayer(ITensorBackend backend, int dim, int latentDim, WeightScope weights)
    {
        _backend = backend;
        _linear = backend.PackLinear(ModelWeights.Linear(weights, "linear", latentDim, dim, bias: true));
        _modulation = AdaLn.LoadModulation(backend, weights, dim, chunks: 2);
    }

    /// <summary>workspace.X, conditioned on workspace.SiluY → output [rows, latentDim].</summary>
    public void Forward(FlowNetWorkspace workspace, ITensor output)
    {
        ITensorBackend b = _backend;
        b.Linear(workspace.SiluY, _modulation[0], workspace.Shift);
        b.Linear(workspace.SiluY, _modulation[1], workspace.Scale);
        b.LayerNorm(workspace.X, null, null, NormEps, workspace.H);
        AdaLn.Modulate(b, workspace.H, workspace.Shift, workspace.Scale);
        b.Linear(workspace.H, _linear, output);
    }

    public void Dispose()
    {
        _linear.Dispose();
        foreach (IPackedLinear m in _modulation)
            m.Dispose();
    }
}
