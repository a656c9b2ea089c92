using PocketTts.Tensors;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// The drifting head's decoding (<c>drifting_decode</c> in pocket_tts/models/flow_lm.py): one pass of the flow net,
/// without time conditions, maps the noise x0 to the latent; decode steps do not apply.
/// </summary>
internal static class DriftingDecode
{
    /// <summary>
    /// Replaces x [rows, latentDim], which holds the noise, by the head's output for it. workspace.Condition must hold
    /// the embedded condition (<see cref="FlowNet.EmbedCondition"/>).
    /// </summary>
    public static void Decode(ITensorBackend backend, FlowNet flowNet, FlowNetWorkspace workspace, ITensor x)
    {
        flowNet.Forward(x, workspace, workspace.Flow);
        backend.CopySlice(workspace.Flow, 0, 0, x, 0, workspace.Rows);
    }
}
