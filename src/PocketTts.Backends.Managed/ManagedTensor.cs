using PocketTts.Tensors;

namespace PocketTts.Backends.Managed;

/// <summary>A dense, row-major float32 tensor in managed memory: the values and their shape.</summary>
internal sealed class ManagedTensor : ITensor
{
    public ManagedTensor(TensorShape shape)
    {
        Shape = shape;
        Data = new float[shape.ElementCount];
    }

    public TensorShape Shape { get; }

    /// <summary>The values, row-major; the length is the shape's element count.</summary>
    public float[] Data { get; }

    /// <summary>Nothing to release: the garbage collector owns the array.</summary>
    public void Dispose() { }
}
