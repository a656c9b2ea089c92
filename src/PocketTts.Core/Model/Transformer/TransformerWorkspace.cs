using PocketTts.Tensors;

namespace PocketTts.Model.Transformer;

/// <summary>
/// The activations of one <see cref="StreamingTransformer"/> call of <see cref="Rows"/> rows. Backend tensors
/// have fixed shapes, so a workspace serves calls of exactly its row count: the state keeps one for its step
/// size, other calls make a temporary one.
/// </summary>
internal sealed class TransformerWorkspace : IDisposable
{
    public TransformerWorkspace(ITensorBackend backend, int rows, StreamingTransformerConfig config)
    {
        Rows = rows;
        var model = new TensorShape(rows, config.DModel);
        Normed = backend.Allocate(model);
        Q = backend.Allocate(model);
        K = backend.Allocate(model);
        V = backend.Allocate(model);
        Update = backend.Allocate(model);
        Hidden = backend.Allocate(new TensorShape(rows, config.DimFeedforward));
    }

    /// <summary>Rows of every buffer.</summary>
    public int Rows { get; }

    /// <summary>Norm output, then attention output [Rows, DModel].</summary>
    public ITensor Normed { get; }

    /// <summary>Queries [Rows, DModel] (heads side by side).</summary>
    public ITensor Q { get; }

    /// <summary>Keys [Rows, DModel].</summary>
    public ITensor K { get; }

    /// <summary>Values [Rows, DModel].</summary>
    public ITensor V { get; }

    /// <summary>A residual branch's output before it is added [Rows, DModel].</summary>
    public ITensor Update { get; }

    /// <summary>Feed-forward hidden activations [Rows, DimFeedforward].</summary>
    public ITensor Hidden { get; }

    public void Dispose()
    {
        Normed.Dispose();
        Q.Dispose();
        K.Dispose();
        V.Dispose();
        Update.Dispose();
        Hidden.Dispose();
    }
}
