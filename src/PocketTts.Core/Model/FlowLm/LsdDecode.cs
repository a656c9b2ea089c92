using PocketTts.Tensors;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// Lagrangian Self Distillation decoding (<c>lsd_decode</c> in pocket_tts/models/flow_lm.py,
/// https://arxiv.org/abs/2505.18825): N Euler-like steps from noise x0, step i evaluating the flow at
/// s = i/N, t = (i+1)/N and adding flow/N.
/// </summary>
internal static class LsdDecode
{
    /// <summary>
    /// Integrates x [rows, latentDim] in place from the noise it holds to the sample, in <paramref name="steps"/>
    /// steps. workspace.Condition must hold the embedded condition (<see cref="FlowNet.EmbedCondition"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 1.</exception>
    public static void Decode(ITensorBackend backend, FlowNet flowNet, FlowNetWorkspace workspace, ITensor x, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        for (int i = 0; i < steps; i++)
        {
            // Python computes i / N in double; the tensor holds it rounded to float32.
            backend.Fill(workspace.S, (float)((double)i / steps));
            backend.Fill(workspace.T, (float)((double)(i + 1) / steps));
            flowNet.Forward(x, workspace, workspace.Flow);
            // flow / N as flow · (1/N): identical when N is a power of two, within one ulp otherwise.
            backend.ScaleShift(workspace.Flow, 1f / steps, 0f, workspace.Flow);
            backend.Binary(BinaryOp.Add, x, workspace.Flow, x);
        }
    }
}
