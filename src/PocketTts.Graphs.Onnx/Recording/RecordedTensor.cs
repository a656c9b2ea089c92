using PocketTts.Tensors;

namespace PocketTts.Graphs.Onnx;

/// <summary>
/// A tensor of the <see cref="GraphRecorder"/>: a shape, constant data when it was made from values, and, while a
/// graph is recorded, the name of the graph value it currently holds (or the slices written into it so far).
/// </summary>
internal sealed class RecordedTensor(int id, TensorShape shape, float[]? constant, int createdInGraph) : ITensor
{
    /// <summary>Identity within the recorder: state tensors are named after it, so the name is stable across graphs.</summary>
    public int Id { get; } = id;

    public TensorShape Shape { get; } = shape;

    /// <summary>Values of a tensor made by <see cref="ITensorBackend.Constant"/>; null for one that was allocated.</summary>
    public float[]? Constant { get; } = constant;

    /// <summary>The graph during which the tensor was allocated (0: before any; it then carries state between calls).</summary>
    public int CreatedInGraph { get; } = createdInGraph;

    /// <summary>The graph <see cref="Value"/> and <see cref="Pieces"/> belong to.</summary>
    public int ValueGraph { get; set; }

    /// <summary>The graph value the tensor holds, when whole.</summary>
    public string? Value { get; set; }

    /// <summary>Slices written along one axis since the tensor last held a whole value (see <see cref="SliceWrites"/>).</summary>
    public SliceWrites? Pieces { get; set; }

    public void Dispose()
    {
    }
}

/// <summary>A linear layer's weights, kept as they were given until a graph uses them.</summary>
internal sealed class RecordedLinear(LinearWeights weights) : IPackedLinear
{
    public LinearWeights Weights { get; } = weights;

    public int InFeatures => Weights.InFeatures;

    public int OutFeatures => Weights.OutFeatures;

    public bool IsQuantized => Weights.IsQuantized;

    public void Dispose()
    {
    }
}

/// <summary>Convolution weights, kept as they were given until a graph uses them.</summary>
internal sealed class RecordedConv(ConvGeometry geometry, bool transposed, float[] weight, float[] bias) : IPackedConv
{
    public ConvGeometry Geometry { get; } = geometry;

    public bool IsTransposed { get; } = transposed;

    /// <summary>[Out, In / Groups, K], or for a transposed convolution [In, Out / Groups, K] (both ONNX's layouts).</summary>
    public float[] Weight { get; } = weight;

    /// <summary>[Out], or empty.</summary>
    public float[] Bias { get; } = bias;

    public void Dispose()
    {
    }
}

/// <summary>
/// An attention layer's cache: in a graph, the keys and values of the positions before the call are inputs
/// ([past, heads, headDim]) and the call's new rows are outputs; the runtime keeps the rows between calls.
/// </summary>
internal sealed class RecordedKvCache(int id, int heads, int headDim, int capacity, int? window) : IKvCache
{
    public int Id { get; } = id;

    public int Heads { get; } = heads;

    public int HeadDim { get; } = headDim;

    public int Capacity { get; } = capacity;

    public int? Window { get; } = window;

    public void Dispose()
    {
    }
}
