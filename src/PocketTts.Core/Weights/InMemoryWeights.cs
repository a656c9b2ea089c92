namespace PocketTts.Weights;

/// <summary>An in-memory set of named tensors: mapped checkpoints, generated weights, tests.</summary>
public sealed class InMemoryWeights : IWeightSource
{
    private readonly Dictionary<string, WeightTensor> _tensors = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>Adds or replaces a tensor under <paramref name="name"/> (the tensor's own name is rewritten).</summary>
    public void Add(string name, WeightTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _tensors[name] = tensor with { Name = name };
    }

    /// <summary>Adds a float32 tensor.</summary>
    public void Add(string name, float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.LongLength != shape.Aggregate(1L, (n, d) => n * d))
            throw new ArgumentException($"Tensor '{name}': {values.Length} values for shape [{string.Join(", ", shape)}].", nameof(values));
        _tensors[name] = new WeightTensor(name, TensorDType.F32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    /// <inheritdoc/>
    public bool TryGet(string name, out WeightTensor tensor) => _tensors.TryGetValue(name, out tensor!);
}
