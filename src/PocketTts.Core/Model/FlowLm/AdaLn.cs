using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.FlowLm;

/// <summary>The adaptive layer norm pieces shared by <see cref="ResBlock"/> and <see cref="FinalLayer"/> (pocket_tts/modules/mlp.py).</summary>
internal static class AdaLn
{
    /// <summary>
    /// <c>adaLN_modulation = Sequential(SiLU, Linear(dim, chunks·dim))</c>: the Linear (key <c>adaLN_modulation.1</c>),
    /// split at load into its <paramref name="chunks"/> outputs in the order of <c>chunk(dim=-1)</c> (shift, scale
    /// and, for residual blocks, gate). The SiLU of y is computed once per flow-net call and shared.
    /// </summary>
    public static IPackedLinear[] LoadModulation(ITensorBackend backend, WeightScope weights, int dim, int chunks)
    {
        LinearWeights fused = ModelWeights.Linear(weights, "adaLN_modulation.1", chunks * dim, dim, bias: true);
        var parts = new IPackedLinear[chunks];
        for (int i = 0; i < chunks; i++)
            parts[i] = backend.PackLinear(fused.Rows(i * dim, dim));
        return parts;
    }

    /// <summary><c>modulate(x, shift, scale) = x·(1 + scale) + shift</c>, in place in x; scale is overwritten by 1 + scale.</summary>
    public static void Modulate(ITensorBackend backend, ITensor x, ITensor shift, ITensor scale)
    {
        backend.ScaleShift(scale, 1f, 1f, scale);
        backend.Binary(BinaryOp.Multiply, x, scale, x);
        backend.Binary(BinaryOp.Add, x, shift, x);
    }
}
