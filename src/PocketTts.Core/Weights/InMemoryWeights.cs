using System.Runtime.InteropServices;

namespace PocketTts.Weights;

/// <summary>
/// An in-memory set of named tensors: raw checkpoints mapped onto the model layout, generated weights, tests.
/// <see cref="Names"/> keeps the order in which tensors were first added. Not thread-safe while being filled;
/// safe to read from many threads afterwards.
/// </summary>
public sealed class InMemoryWeights : IWeightSource
{
    private readonly Dictionary<string, WeightTensor> _tensors = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>Number of tensors.</summary>
    public int Count => _tensors.Count;

    /// <summary>
    /// Adds or replaces a tensor under <paramref name="name"/> (the tensor's own name is rewritten). Its bytes are
    /// not copied: a view of an open <see cref="SafeTensorsFile"/> stays valid only while that file is open.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor's bytes do not match its dtype and shape.</exception>
    public InMemoryWeights Add(string name, WeightTensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        long expected = tensor.DType.ByteCount(tensor.Shape);
        if (expected != tensor.Data.Length)
            throw new ArgumentException($"Tensor '{name}': {tensor.Data.Length} bytes for {tensor.DType.SafeTensorsName()} {tensor.ShapeText}, expected {expected}.", nameof(tensor));
        _tensors[name] = tensor.Name == name ? tensor : tensor with { Name = name };
        return this;
    }

    /// <summary>Adds or replaces a tensor from raw little-endian bytes (not copied).</summary>
    /// <exception cref="ArgumentException">The byte count does not match the dtype and shape.</exception>
    public InMemoryWeights Add(string name, TensorDType dtype, ReadOnlyMemory<byte> data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Add(name, new WeightTensor(name, dtype, (int[])shape.Clone(), data));
    }

    /// <summary>Adds or replaces a float32 tensor (the values are copied).</summary>
    /// <exception cref="ArgumentException">The value count does not match the shape.</exception>
    public InMemoryWeights Add(string name, float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, TensorDType.F32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), shape);
    }

    /// <summary>Adds or replaces an int64 tensor (the values are copied).</summary>
    /// <exception cref="ArgumentException">The value count does not match the shape.</exception>
    public InMemoryWeights Add(string name, long[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, TensorDType.I64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), shape);
    }

    /// <summary>Adds or replaces an int8 tensor (the values are copied).</summary>
    /// <exception cref="ArgumentException">The value count does not match the shape.</exception>
    public InMemoryWeights Add(string name, sbyte[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, TensorDType.I8, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), shape);
    }

    /// <inheritdoc/>
    public bool TryGet(string name, out WeightTensor tensor) => _tensors.TryGetValue(name, out tensor!);
}
