namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// A tensor a stage binds on a graph: the graph's name for it and its declared rank. Graphs differ in the axes of size
/// 1 they put around the stage's shape (this project's decoder takes <c>latent</c> [1, 32], a community one [1, 1, 32]),
/// so a stage gives its own shape and the port pads it with leading ones, or drops leading ones, to the declared rank.
/// </summary>
/// <param name="Name">The input or output name.</param>
/// <param name="Rank">The declared number of dimensions.</param>
internal sealed record Port(string Name, int Rank)
{
    /// <summary>The shape to bind for a tensor of the stage's shape <paramref name="dims"/>.</summary>
    /// <exception cref="InvalidOperationException">The shape has more axes than the rank and a dropped one is not 1.</exception>
    public long[] Shape(params long[] dims)
    {
        int extra = dims.Length - Rank;
        for (int i = 0; i < extra; i++)
        {
            if (dims[i] != 1)
                throw new InvalidOperationException($"The graph's '{Name}' has {Rank} dimensions; a tensor [{string.Join(", ", dims)}] does not fit them.");
        }
        var shape = new long[Rank];
        shape.AsSpan().Fill(1);
        dims.AsSpan(Math.Max(0, extra)).CopyTo(shape.AsSpan(Math.Max(0, -extra)));
        return shape;
    }
}
