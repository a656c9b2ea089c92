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
        // Pinned: the graphs read and write them through views that ONNX Runtime holds as raw pointers.
        Keys = GC.AllocateArray<float>(checked(rows * _rowSize), pinned: true);
        Values = GC.AllocateArray<float>(checked(rows * _rowSize), pinned: true);
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
        Reserve(rows);
        return (Keys.AsMemory(_end * _rowSize, rows * _rowSize), Values.AsMemory(_end * _rowSize, rows * _rowSize));
    }

    /// <summary>Makes room for <paramref name="rows"/> new rows after the past ones, moving a windowed cache's rows to the front when the buffer is full.</summary>
    private void Reserve(int rows)
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
    }

    /// <summary>Binds <paramref name="views"/>' past rows and the next call's <paramref name="rows"/> new rows on <paramref name="binding"/>.</summary>
    public void BindViews(GraphBinding binding, CacheViewNames views, int rows)
    {
        Reserve(rows);   // first: it may move the past rows
        long past = (long)(_end - PastRows) * _rowSize, next = (long)_end * _rowSize;
        binding.View(views.PastKeys, output: false, Keys, past, PastRows, Heads, HeadDim);
        binding.View(views.PastValues, output: false, Values, past, PastRows, Heads, HeadDim);
        binding.View(views.NewKeys, output: true, Keys, next, rows, Heads, HeadDim);
        binding.View(views.NewValues, output: true, Values, next, rows, Heads, HeadDim);
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
