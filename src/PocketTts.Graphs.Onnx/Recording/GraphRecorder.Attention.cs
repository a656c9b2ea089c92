using PocketTts.Tensors;
using DataType = PocketTts.Graphs.Onnx.Protos.TensorProto.Types.DataType;

namespace PocketTts.Graphs.Onnx;

/// <summary>
/// Rotary embedding and cached attention. The position is a graph input, and the numbers of past rows and of the
/// call's rows are read from the shapes in the graph, so one graph serves every position and every call length.
/// </summary>
public sealed partial class GraphRecorder
{
    private const string PositionInput = "position";
    private const string PastRows = "past";
    private const string CallRows = "rows";

    /// <inheritdoc/>
    public IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window)
    {
        TensorArguments.CreateKvCache(heads, headDim, capacity, window);
        return new RecordedKvCache(++_nextId, heads, headDim, capacity, window);
    }

    /// <inheritdoc/>
    public void ReadKvCache(IKvCache cache, int length, Span<float> keys, Span<float> values) =>
        throw new NotSupportedException("A recorded cache holds no values: the runtime keeps the rows.");

    /// <inheritdoc/>
    public void WriteKvCache(IKvCache cache, int length, ReadOnlySpan<float> keys, ReadOnlySpan<float> values) =>
        throw new NotSupportedException("A recorded cache holds no values: the runtime keeps the rows.");

    /// <summary>
    /// The pairs (2i, 2i+1) of each head rotated by (position + t)·freq[i]; the frequencies are computed on the host
    /// in float32 as the managed kernel and the reference do, the angle in the graph from the position input.
    /// </summary>
    public void Rope(ITensor x, int heads, int position, float maxPeriod, ITensor y)
    {
        RecordedTensor input = Own(x);
        TensorArguments.Rope(input, heads, position, maxPeriod, Own(y));
        int headDim = input.Shape[1] / heads, half = headDim / 2;
        float step = (float)(-Math.Log(maxPeriod) * 2 / headDim);
        var frequencies = new float[half];
        for (int i = 0; i < half; i++)
            frequencies[i] = MathF.Exp(i * step);

        string value = Use(input);
        string rows = G.Node("Unsqueeze", [G.Node("Range", [G.Int64Scalar(0), Rows(value), G.Int64Scalar(1)]), G.Int64Vector(1)]); // [T, 1]
        string times = G.Node("Cast", [G.Node("Add", [Position(position), rows])], Attr.Int("to", (long)DataType.Float));
        string angles = G.Node("Unsqueeze", [G.Node("Mul", [times, G.Floats("rope_frequencies", frequencies, 1, half)]), G.Int64Vector(1)]); // [T, 1, half]
        string cos = G.Node("Cos", [angles]), sin = G.Node("Sin", [angles]);
        string pairs = G.Node("Reshape", [value, G.Int64Vector(0, heads, half, 2)]);
        string real = G.Node("Gather", [pairs, G.Int64Scalar(0)], Attr.Int("axis", 3));
        string imaginary = G.Node("Gather", [pairs, G.Int64Scalar(1)], Attr.Int("axis", 3));
        string rotatedReal = G.Node("Sub", [G.Node("Mul", [real, cos]), G.Node("Mul", [imaginary, sin])]);
        string rotatedImaginary = G.Node("Add", [G.Node("Mul", [real, sin]), G.Node("Mul", [imaginary, cos])]);
        string joined = G.Node("Concat", [G.Node("Unsqueeze", [rotatedReal, G.Int64Vector(3)]), G.Node("Unsqueeze", [rotatedImaginary, G.Int64Vector(3)])], Attr.Int("axis", 3));
        Assign(Own(y), G.Node("Reshape", [joined, G.Int64Vector(0, heads * headDim)]));
    }

    /// <summary>The number of rows of a value, as an int64 scalar computed in the graph: graphs take any number of rows.</summary>
    private string Rows(string value) => G.Node("Gather", [G.Node("Shape", [value]), G.Int64Scalar(0)]);

    /// <summary>
    /// softmax(q·kᵀ/√d)·v over the past rows (an input) and the call's rows, masked causally and, for a windowed
    /// cache, to the window; the call's keys and values are outputs. Query row t sits at past + t: column j of the
    /// joined keys is visible when 0 ≤ past + t − j (&lt; window).
    /// </summary>
    public void Attention(ITensor q, ITensor k, ITensor v, IKvCache cache, int position, ITensor y)
    {
        int rows = TensorArguments.Attention("Attention", q, k, v, cache, position, y);
        RecordedKvCache c = TensorArguments.OwnCache<RecordedKvCache>(cache, "Attention", BackendName);
        Position(position);
        int heads = c.Heads, headDim = c.HeadDim;
        string prefix = $"cache_{c.Id}";
        var spec = new CacheSpec(c.Id, heads, headDim, c.Window, rows, prefix + "_past_k", prefix + "_past_v", prefix + "_new_k", prefix + "_new_v");
        if (_caches.Any(existing => existing.Id == c.Id))
            throw new InvalidOperationException($"Cache {c.Id} is used twice in graph '{G.Name}'.");
        _caches.Add(spec);
        G.Input(spec.PastKeys, DataType.Float, PastRows, (long)heads, (long)headDim);
        G.Input(spec.PastValues, DataType.Float, PastRows, (long)heads, (long)headDim);

        string headsShape = G.Int64Vector(0, heads, headDim);
        string query = Use(Own(q));
        string newKeys = G.Node("Reshape", [Use(Own(k)), headsShape]);
        string newValues = G.Node("Reshape", [Use(Own(v)), headsShape]);
        G.NodeTo("Identity", [newKeys], spec.NewKeys);
        G.NodeTo("Identity", [newValues], spec.NewValues);
        G.Output(spec.NewKeys, DataType.Float, CallRows, (long)heads, (long)headDim);
        G.Output(spec.NewValues, DataType.Float, CallRows, (long)heads, (long)headDim);

        // [heads, rows or columns, headDim]
        string queries = G.Node("Transpose", [G.Node("Reshape", [query, headsShape])], Attr.Ints("perm", 1, 0, 2));
        string keys = G.Node("Transpose", [G.Node("Concat", [spec.PastKeys, newKeys], Attr.Int("axis", 0))], Attr.Ints("perm", 1, 2, 0));
        string values = G.Node("Transpose", [G.Node("Concat", [spec.PastValues, newValues], Attr.Int("axis", 0))], Attr.Ints("perm", 1, 0, 2));
        string scores = G.Node("Mul", [G.Node("MatMul", [queries, keys]), G.FloatScalar(1f / MathF.Sqrt(headDim))]);

        string past = Rows(spec.PastKeys), count = Rows(query);
        string columns = G.Node("Range", [G.Int64Scalar(0), G.Node("Add", [past, count]), G.Int64Scalar(1)]);
        string queryRows = G.Node("Unsqueeze", [G.Node("Range", [G.Int64Scalar(0), count, G.Int64Scalar(1)]), G.Int64Vector(1)]);
        string distance = G.Node("Sub", [G.Node("Add", [queryRows, past]), columns]); // [rows, columns]
        string visible = G.Node("GreaterOrEqual", [distance, G.Int64Scalar(0)]);
        if (c.Window is int window)
            visible = G.Node("And", [visible, G.Node("Less", [distance, G.Int64Scalar(window)])]);
        string mask = G.Node("Where", [visible, G.FloatScalar(0f), G.FloatScalar(float.NegativeInfinity)]);
        string weights = G.Node("Softmax", [G.Node("Add", [scores, mask])], Attr.Int("axis", -1));
        string attended = G.Node("Transpose", [G.Node("MatMul", [weights, values])], Attr.Ints("perm", 1, 0, 2));
        Assign(Own(y), G.Node("Reshape", [attended, G.Int64Vector(0, heads * headDim)]));
    }

    /// <summary>The position input; every RoPE and attention call of a graph must be at the same position.</summary>
    private string Position(int position)
    {
        if (_position is { } existing)
        {
            if (existing.Value != position)
                throw new InvalidOperationException($"Graph '{G.Name}' uses positions {existing.Value} and {position}; one graph has one position input.");
            return existing.Name;
        }
        G.Input(PositionInput, DataType.Int64);
        _position = (PositionInput, position);
        return PositionInput;
    }
}
