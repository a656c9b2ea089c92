namespace PocketTts.Graphs.Onnx;

/// <summary>
/// The slices written into a tensor along one axis, kept apart until the tensor is read: a streaming layer assembles
/// its history and its input in a buffer piece by piece, and only the uncovered parts (if any) need the buffer's
/// earlier value, which would otherwise turn every such buffer into state.
/// </summary>
internal sealed class SliceWrites(int axis, int length)
{
    private readonly List<(int Start, int Length, string Value)> _pieces = [];

    public int Axis { get; } = axis;

    /// <summary>The tensor's length along <see cref="Axis"/>.</summary>
    public int Length { get; } = length;

    /// <summary>Records that <paramref name="value"/> (exactly <paramref name="count"/> long on the axis) now holds [start, start + count).</summary>
    /// <param name="start">First index written.</param>
    /// <param name="count">Indices written.</param>
    /// <param name="value">The graph value written.</param>
    /// <param name="slice">Cuts [from, to) of a piece's value (pieces that a write partly covers keep their rest).</param>
    public void Write(int start, int count, string value, Func<string, int, int, string> slice)
    {
        int end = start + count;
        for (int i = _pieces.Count - 1; i >= 0; i--)
        {
            (int s, int n, string v) = _pieces[i];
            int e = s + n;
            if (e <= start || s >= end)
                continue;
            _pieces.RemoveAt(i);
            if (s < start)
                _pieces.Add((s, start - s, slice(v, 0, start - s)));
            if (e > end)
                _pieces.Add((end, e - end, slice(v, end - s, n)));
        }
        _pieces.Add((start, count, value));
    }

    /// <summary>The pieces in order, with the gaps between them as (start, length, null).</summary>
    public IEnumerable<(int Start, int Length, string? Value)> InOrder()
    {
        int at = 0;
        foreach ((int s, int n, string v) in _pieces.OrderBy(p => p.Start))
        {
            if (s > at)
                yield return (at, s - at, null);
            yield return (s, n, v);
            at = s + n;
        }
        if (at < Length)
            yield return (at, Length - at, null);
    }
}
