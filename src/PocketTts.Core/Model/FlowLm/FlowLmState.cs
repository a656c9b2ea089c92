using PocketTts.Model.Transformer;
using PocketTts.Stages;
using PocketTts.Tensors;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// The per-stream state of <see cref="FlowLmStage"/>: the transformer's caches and offset, and every tensor one
/// autoregressive step needs, allocated here once so that <see cref="FlowLmStage.SampleNextLatent"/> allocates
/// nothing. Owned by one generation; not thread-safe.
/// </summary>
internal sealed class FlowLmState : IFlowLmState
{
    internal FlowLmState(FlowLmStage owner, StreamingTransformerState transformer, FlowNetWorkspace flow, ITensorBackend backend)
    {
        Owner = owner;
        Transformer = transformer;
        Flow = flow;
        Latent = backend.Allocate(new TensorShape(1, owner.LatentDim));
        Hidden = backend.Allocate(new TensorShape(1, owner.ModelDim));
        Normed = backend.Allocate(new TensorShape(1, owner.ModelDim));
        EosLogit = backend.Allocate(new TensorShape(1, 1));
        Sample = backend.Allocate(new TensorShape(1, owner.LatentDim));
    }

    /// <inheritdoc/>
    public int Offset => Transformer.Offset;

    /// <inheritdoc/>
    public int Capacity => Transformer.Capacity;

    internal FlowLmStage Owner { get; }

    /// <summary>KV caches and offset.</summary>
    internal StreamingTransformerState Transformer { get; }

    /// <summary>The flow net's one-row workspace.</summary>
    internal FlowNetWorkspace Flow { get; }

    /// <summary>The step's input latent, NaN replaced by BOS [1, latentDim].</summary>
    internal ITensor Latent { get; }

    /// <summary>The transformer's residual stream for one row [1, d].</summary>
    internal ITensor Hidden { get; }

    /// <summary>out_norm output [1, d]: the flow net's condition and the EOS head's input.</summary>
    internal ITensor Normed { get; }

    /// <summary>out_eos output [1, 1].</summary>
    internal ITensor EosLogit { get; }

    /// <summary>The noise, then the decoded latent [1, latentDim].</summary>
    internal ITensor Sample { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Transformer.Dispose();
        Flow.Dispose();
        Latent.Dispose();
        Hidden.Dispose();
        Normed.Dispose();
        EosLogit.Dispose();
        Sample.Dispose();
    }
}
