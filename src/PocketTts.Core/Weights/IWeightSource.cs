namespace PocketTts.Weights;

/// <summary>A set of named tensors (a safetensors file, a mapped training checkpoint, an in-memory dictionary).</summary>
public interface IWeightSource
{
    /// <summary>Every tensor name.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Gets the tensor called <paramref name="name"/>.</summary>
    bool TryGet(string name, out WeightTensor tensor);
}
