using PocketTts.Tensors;

namespace Sample.PocketTtsBackend;

/// <summary>A dense row-major float32 tensor in managed memory.</summary>
internal sealed class SampleTensor(TensorShape shape) : ITensor
{
    public TensorShape Shape { get; } = shape;

    public float[] Data { get; } = new float[shape.ElementCount];

    public void Dispose()
    {
    }
}

/// <summary>Linear weights [out, in] as float (int8 weights are multiplied out by their scales once, when packed).</summary>
internal sealed class SampleLinear(int inFeatures, int outFeatures, bool quantized, float[] weight, float[]? bias) : IPackedLinear
{
    public int InFeatures { get; } = inFeatures;

    public int OutFeatures { get; } = outFeatures;

    public bool IsQuantized { get; } = quantized;

    public float[] Weight { get; } = weight;

    public float[]? Bias { get; } = bias;

    public void Dispose()
    {
    }
}

/// <summary>Convolution weights in PyTorch's layout, as given.</summary>
internal sealed class SampleConv(ConvGeometry geometry, bool transposed, float[] weight, float[]? bias) : IPackedConv
{
    public ConvGeometry Geometry { get; } = geometry;

    public bool IsTransposed { get; } = transposed;

    public float[] Weight { get; } = weight;

    public float[]? Bias { get; } = bias;

    public void Dispose()
    {
    }
}

/// <summary>
/// Keys and values [capacity, heads·headDim]. Position p lives in slot p of a linear cache and in slot p mod capacity
/// of a ring.
/// </summary>
internal sealed class SampleKvCache(int heads, int headDim, int capacity, int? window) : IKvCache
{
    public int Heads { get; } = heads;

    public int HeadDim { get; } = headDim;

    public int Capacity { get; } = capacity;

    public int? Window { get; } = window;

    public float[] Keys { get; } = new float[capacity * heads * headDim];

    public float[] Values { get; } = new float[capacity * heads * headDim];

    public int Slot(int position) => Window is null ? position : position % Capacity;

    public void Dispose()
    {
    }
}
