using PocketTts.Tensors;

namespace PocketTts.Model.FlowLm;

/// <summary>
/// The activations of one <see cref="FlowNet"/> evaluation over <see cref="Rows"/> rows, allocated once (a FlowLM
/// state holds a one-row workspace, so LSD decoding allocates nothing per frame). Not thread-safe.
/// </summary>
internal sealed class FlowNetWorkspace : IDisposable
{
    private readonly List<ITensor> _all = [];

    public FlowNetWorkspace(ITensorBackend backend, int rows, int dim, int latentDim, int frequencyFeatures)
    {
        Rows = rows;
        ITensor Make(int features)
        {
            ITensor t = backend.Allocate(new TensorShape(rows, features));
            _all.Add(t);
            return t;
        }
        S = Make(1);
        T = Make(1);
        Frequencies = Make(frequencyFeatures);
        TimeS = Make(dim);
        TimeT = Make(dim);
        Condition = Make(dim);
        Y = Make(dim);
        SiluY = Make(dim);
        X = Make(dim);
        H = Make(dim);
        H2 = Make(dim);
        Shift = Make(dim);
        Scale = Make(dim);
        Gate = Make(dim);
        Flow = Make(latentDim);
    }

    public int Rows { get; }

    /// <summary>Start time per row [Rows, 1].</summary>
    public ITensor S { get; }

    /// <summary>Target time per row [Rows, 1].</summary>
    public ITensor T { get; }

    /// <summary>Sinusoidal time features [Rows, 256].</summary>
    public ITensor Frequencies { get; }

    /// <summary>time_embed[0](s) [Rows, dim].</summary>
    public ITensor TimeS { get; }

    /// <summary>time_embed[1](t) [Rows, dim].</summary>
    public ITensor TimeT { get; }

    /// <summary>cond_embed(c) [Rows, dim], set once per decode by <see cref="FlowNet.EmbedCondition"/>.</summary>
    public ITensor Condition { get; }

    /// <summary>y = (time_embed[0](s) + time_embed[1](t)) / 2 + cond_embed(c) [Rows, dim].</summary>
    public ITensor Y { get; }

    /// <summary>SiLU(y), the input of every AdaLN modulation [Rows, dim].</summary>
    public ITensor SiluY { get; }

    /// <summary>The residual stream [Rows, dim].</summary>
    public ITensor X { get; }

    /// <summary>Scratch [Rows, dim].</summary>
    public ITensor H { get; }

    /// <summary>Scratch [Rows, dim].</summary>
    public ITensor H2 { get; }

    /// <summary>AdaLN shift [Rows, dim].</summary>
    public ITensor Shift { get; }

    /// <summary>AdaLN scale [Rows, dim].</summary>
    public ITensor Scale { get; }

    /// <summary>AdaLN gate [Rows, dim].</summary>
    public ITensor Gate { get; }

    /// <summary>The velocity, the flow net's output [Rows, latentDim].</summary>
    public ITensor Flow { get; }

    public void Dispose()
    {
        foreach (ITensor t in _all)
            t.Dispose();
    }
}
