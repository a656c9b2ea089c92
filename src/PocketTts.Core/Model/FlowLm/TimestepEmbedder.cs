using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// <c>TimestepEmbedder</c> of pocket_tts/modules/mlp.py: t → cat(cos(t·f), sin(t·f)) (cosine first, 256 features,
/// f the checkpoint's <c>freqs</c> buffer) → Linear → SiLU → Linear → "RMSNorm". That norm (<c>_rms_norm</c>) is
/// x · alpha / √(1e-5 + unbiased variance of x), not a mean-of-squares RMS: <see cref="ITensorBackend.VarianceNorm"/>.
/// </summary>
internal sealed class TimestepEmbedder : IDisposable
{
    /// <summary>Sinusoidal features before the MLP (the reference's default <c>frequency_embedding_size</c>).</summary>
    public const int FrequencyFeatures = 256;

    private const float NormEps = 1e-5f;

    private readonly ITensorBackend _backend;
    private readonly ITensor _freqs;            // [128]
    private readonly IPackedLinear _linear0;    // mlp.0: [dim, 256] + bias
    private readonly IPackedLinear _linear2;    // mlp.2: [dim, dim] + bias
    private readonly ITensor _alpha;            // mlp.3.alpha: [dim]

    /// <summary>Loads a <c>time_embed.N</c> scope.</summary>
    public TimestepEmbedder(ITensorBackend backend, int dim, WeightScope weights)
    {
        _backend = backend;
        _freqs = backend.Constant(weights, "freqs", FrequencyFeatures / 2);
        _linear0 = backend.PackLinear(ModelWeights.Linear(weights, "mlp.0", dim, FrequencyFeatures, bias: true));
        _linear2 = backend.PackLinear(ModelWeights.Linear(weights, "mlp.2", dim, dim, bias: true));
        _alpha = backend.Constant(weights, "mlp.3.alpha", dim);
    }

    /// <summary>t [rows, 1] → output [rows, dim]; uses workspace.Frequencies and workspace.H.</summary>
    public void Forward(ITensor t, FlowNetWorkspace workspace, ITensor output)
    {
        ITensorBackend b = _backend;
        b.TimestepEmbedding(t, _freqs, workspace.Frequencies);
        b.Linear(workspace.Frequencies, _linear0, workspace.H);
        b.Unary(UnaryOp.Silu, workspace.H, workspace.H);
        b.Linear(workspace.H, _linear2, output);
        b.VarianceNorm(output, _alpha, NormEps, output);
    }

    public void Dispose()
    {
        _freqs.Dispose();
        _linear0.Dispose();
        _linear2.Dispose();
        _alpha.Dispose();
    }
}
