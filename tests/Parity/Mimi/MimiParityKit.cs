using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Mimi;

/// <summary>
/// All tensors of a source, but only those whose names start with a prefix are listed, so that
/// <see cref="WeightScope.EnsureAllConsumed"/> checks that part alone (the Mimi stages and <c>mimi.*</c>).
/// </summary>
internal sealed class FilteredWeights(IWeightSource source, string prefix) : IWeightSource
{
    public IReadOnlyCollection<string> Names { get; } = [.. source.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

    public bool TryGet(string name, out WeightTensor tensor) => source.TryGet(name, out tensor);
}

internal static class MimiParityKit
{
    public static float[] Read(this ITensorBackend backend, ITensor tensor)
    {
        var values = new float[tensor.Shape.ElementCount];
        backend.Read(tensor, values);
        return values;
    }

    /// <summary>Columns [start, start + length) of a row-major [rows, columns] matrix.</summary>
    public static float[] Columns(float[] matrix, int rows, int columns, int start, int length)
    {
        var result = new float[rows * length];
        for (int r = 0; r < rows; r++)
            Array.Copy(matrix, r * columns + start, result, r * length, length);
        return result;
    }

    /// <summary>Transposes a row-major [rows, columns] matrix.</summary>
    public static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                result[c * rows + r] = matrix[r * columns + c];
        }
        return result;
    }
}
