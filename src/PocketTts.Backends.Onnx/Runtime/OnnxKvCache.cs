using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// One attention layer's keys and values on the host, [rows, heads, headDim] each. A graph reads the past rows as a
/// view of the buffer and writes its new rows straight after them, so a call copies no cache. A windowed cache
/// keeps the last Window − 1 rows; when the buffer runs out it moves them to the front (once per buffer's worth of
/// rows), which is the only copy it makes.
/// </summary>
internal sealed class OnnxKvCache
{
    private readonly int _rowSize;
    private int _end;       // buffer row after the last stored one
    private int _stored;    // rows stored (≤ _end)
    private readonly long[] _pastShape;   // [past, heads, headDim] and [rows, heads, headDim] of the last views bound:
    private readonly long[] _newShape;    // reused, since a binding copies a shape

    /// <param name="heads">Heads.</param>
    /// <param name="headDim">Features per head.</param>
    /// <param name="rows">Buffer rows: for a linear cache the capacity plus the longest call, for a windowed one any number above window + the longest call.</param>
    /// <param name="window">The attention context of a windowed cache, or null.</param>
    public OnnxKvCache(int heads, int headDim, int rows, int? window)
    {
        Heads = heads;
        HeadDim = headDim;
        Window = window;
        _rowSize = heads * headDim;
        _pastShape = [0, heads, headDim];
        _newShape = [0, heads, headDim];
        Keys = new float[(long)rows * _rowSize];
        Values = new float[(long)rows * _rowSize];
    }

    public int Heads { get; }

    public int HeadDim { get; }

    public int? Window { get; }

    /// <summary>Absolute position of the next row (rows appended since the start).</summary>
    public int Position { get; private set; }

    public float[] Keys { get; }

    public float[] Values { get; }

    private int BufferRows => Keys.Length / _rowSize;

    /// <summary>Rows a call sees as its past: all stored rows, or the last Window − 1.</summary>
    public int PastRows => Window is int window ? Math.Min(_stored, window - 1) : _stored;

    /// <summary>The past rows' keys and values.</summary>
    public (Memory<float> Keys, Memory<float> Values) Past()
    {
        int start = (_end - PastRows) * _rowSize, length = PastRows * _rowSize;
        return (Keys.AsMemory(start, length), Values.AsMemory(start, length));
    }

    /// <summary>Where a call of <paramref name="rows"/> rows writes its keys and values (after the past rows).</summary>
    /// <exception cref="InvalidOperationException">A linear cache has no room for them.</exception>
    public (Memory<float> Keys, Memory<float> Values) Next(int rows)
    {
        if (_end + rows > BufferRows)
        {
            if (Window is null)
                throw new InvalidOperationException($"The cache holds {BufferRows} rows; {_stored} are stored and a call of {rows} does not fit.");
            int keep = PastRows;
            Array.Copy(Keys, (long)(_end - keep) * _rowSize, Keys, 0, (long)keep * _rowSize);
            Array.Copy(Values, (long)(_end - keep) * _rowSize, Values, 0, (long)keep * _rowSize);
            _end = _stored = keep;
        }
        return (Keys.AsMemory(_end * _rowSize, rows * _rowSize), Values.AsMemory(_end * _rowSize, rows * _rowSize));
    }

    /// <summary>Binds <paramref name="spec"/>'s past rows and the next call's <paramref name="rows"/> new rows on <paramref name="binding"/>.</summary>
    public void BindViews(GraphBinding binding, CacheSpec spec, int rows)
    {
        (Memory<float> newKeys, Memory<float> newValues) = Next(rows);   // first: it may move the past rows
        (Memory<float> pastKeys, Memory<float> pastValues) = Past();
        _pastShape[0] = PastRows;
        _newShape[0] = rows;
        binding.View(spec.PastKeys, output: false, pastKeys, _pastShape);
        binding.View(spec.PastValues, output: false, pastValues, _pastShape);
        binding.View(spec.NewKeys, output: true, newKeys, _newShape);
        binding.View(spec.NewValues, output: true, newValues, _newShape);
    }

    /// <summary>Keeps the first <paramref name="rows"/> rows the last call wrote (a padded call wrote more).</summary>
    public void Advance(int rows)
    {
        _end += rows;
        _stored += rows;
        Position += rows;
    }

    /// <summary>Replaces the contents with <paramref name="rows"/> rows of keys and values [rows, heads, headDim] at positions 0 … rows − 1.</summary>
    public void Load(int rows, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        if ((long)rows * _rowSize > Keys.Length)
            throw new ArgumentException($"{rows} rows do not fit a cache of {BufferRows}.");
        keys.CopyTo(Keys);
        values.CopyTo(Values);
        _end = _stored = Position = rows;
    }

    /// <summary>Forgets every row.</summary>
    public void Clear() => _end = _stored = Position = 0;
}
