using System.Collections.Immutable;

namespace PocketTts.Tensors;

/// <summary>
/// The dimensions of a dense, row-major float32 tensor. Pocket TTS always runs with batch size 1, so shapes
/// omit the batch axis: sequences are <c>[time, channels]</c>, convolution signals <c>[channels, time]</c>.
/// </summary>
public readonly record struct TensorShape
{
    private readonly ImmutableArray<int> _dims;

    /// <summary>Creates a shape from its dimensions (each at least 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public TensorShape(params ReadOnlySpan<int> dims)
    {
        foreach (int d in dims)
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dims));
        _dims = [.. dims];
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dims.IsDefault ? 0 : _dims.Length;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => _dims[axis < 0 ? Rank + axis : axis];

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<int> Dims => _dims.AsSpan();

    /// <summary>The number of elements (product of the dimensions; 1 for rank 0).</summary>
    public int ElementCount
    {
        get
        {
            int n = 1;
            foreach (int d in Dims)
                n = checked(n * d);
            return n;
        }
    }

    /// <summary>Equality by dimensions.</summary>
    public bool Equals(TensorShape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dims)
            hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>The shape as <c>[a, b, c]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _dims.IsDefault ? [] : _dims) + "]";
}
