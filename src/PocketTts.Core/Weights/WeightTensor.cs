namespace PocketTts.Weights;

/// <summary>
/// One named tensor of a weights file: its element type, shape and raw little-endian bytes (usually a view of a
/// memory-mapped file, valid while the file is open).
/// </summary>
/// <param name="Name">The tensor's key, e.g. <c>flow_lm.transformer.layers.0.linear1.weight</c>.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Data">Raw bytes, exactly element count × element size.</param>
public sealed record WeightTensor(string Name, TensorDType DType, int[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>The shape as <c>[a, b]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
