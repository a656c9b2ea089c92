using PocketTts.Graphs.Onnx.Protos;
using PocketTts.Tensors;
using DataType = PocketTts.Graphs.Onnx.Protos.TensorProto.Types.DataType;

namespace PocketTts.Graphs.Onnx;

/// <summary>
/// The <see cref="IGraphRecorder"/> that writes ONNX (opset 17): each operation the model definition calls between
/// <see cref="BeginGraph"/> and <see cref="EndGraph"/> becomes ONNX nodes, and each graph is kept in
/// <see cref="Graphs"/> with the <see cref="GraphSpec"/> its runtime needs. Weights become initializers; tensors
/// allocated before the graph began and read before they are written become state inputs (their final values state
/// outputs); attention caches become past-rows inputs and new-rows outputs; the RoPE position becomes an input.
/// </summary>
/// <remarks>
/// A graph is only as general as the calls it saw: shapes are those of the recorded call (only the number of past
/// cache rows is symbolic), and host-side branches are baked in, which is why a stage whose first call differs
/// (the Mimi encoder's replicate padding) records a separate graph for it.
/// </remarks>
public sealed partial class GraphRecorder : IGraphRecorder
{
    private const string BackendName = "onnx-recorder";

    private int _nextId;
    private int _graphNumber;
    private GraphBuilder? _builder;
    private readonly List<RecordedTensor> _stateReads = [];
    private readonly List<RecordedTensor> _written = [];
    private readonly List<(string Name, RecordedTensor Tensor, string? Rows)> _outputs = [];
    private readonly List<TensorSpec> _inputs = [];
    private readonly List<CacheSpec> _caches = [];
    private (string Name, int Value)? _position;
    private readonly Dictionary<string, RecordedGraph> _graphs = [];

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <summary>The graphs recorded so far, by name (a graph recorded again replaces the earlier one).</summary>
    public IReadOnlyDictionary<string, RecordedGraph> Graphs => _graphs;

    private GraphBuilder G => _builder ?? throw new InvalidOperationException("The recorder computes nothing: operations are only valid between BeginGraph and EndGraph.");

    /// <inheritdoc/>
    public void BeginGraph(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_builder is not null)
            throw new InvalidOperationException($"Graph '{_builder.Name}' is still being recorded.");
        _builder = new GraphBuilder(name);
        _graphNumber++;
        _stateReads.Clear();
        _written.Clear();
        _outputs.Clear();
        _inputs.Clear();
        _caches.Clear();
        _position = null;
    }

    /// <inheritdoc/>
    /// <remarks>A symbolic dimension is -1 in the manifest.</remarks>
    public void Input(ITensor tensor, string name, string? symbolicRows = null)
    {
        RecordedTensor t = Own(tensor);
        G.Input(name, DataType.Float, Dims(t.Shape, symbolicRows));
        _inputs.Add(new TensorSpec(name, Spec(t.Shape, symbolicRows)));
        Assign(t, name);
    }

    /// <inheritdoc/>
    public void Output(ITensor tensor, string name, string? symbolicRows = null) => _outputs.Add((name, Own(tensor), symbolicRows));

    /// <inheritdoc/>
    public IReadOnlyCollection<int> EndGraph(IEnumerable<int>? carried = null)
    {
        GraphBuilder g = G;
        var outputs = new List<TensorSpec>();
        foreach ((string name, RecordedTensor t, string? rows) in _outputs)
        {
            g.NodeTo("Identity", [Use(t)], name);
            g.Output(name, DataType.Float, Dims(t.Shape, rows));
            outputs.Add(new TensorSpec(name, Spec(t.Shape, rows)));
        }
        var carriedIds = new HashSet<int>(carried ?? []);
        // A state whose output is assembled from slices reads its earlier value where the slices leave gaps: assemble
        // it before deciding which states are inputs.
        foreach (RecordedTensor t in _written.Where(t => _stateReads.Contains(t) || carriedIds.Contains(t.Id)).ToList())
            Use(t);
        var states = new List<StateSpec>();
        foreach (RecordedTensor t in _stateReads.Concat(_written).DistinctBy(t => t.Id).OrderBy(t => t.Id))
        {
            bool read = _stateReads.Contains(t);
            bool written = _written.Contains(t) && (read || carriedIds.Contains(t.Id));
            if (!read && !written)
                continue;
            string? output = null;
            if (written)
            {
                output = StateName(t) + "_out";
                g.NodeTo("Identity", [Use(t)], output);
                g.Output(output, DataType.Float, Dims(t.Shape));
            }
            states.Add(new StateSpec(t.Id, read ? StateName(t) : null, output, [.. t.Shape.Dims]));
        }
        var spec = new GraphSpec(g.Name, g.Name + ".onnx", [.. _inputs], [.. outputs], [.. states], [.. _caches], _position?.Name);
        ModelProto model = g.ToModel();
        _builder = null;
        _graphs[spec.Name] = new RecordedGraph(model, spec);
        return [.. states.Where(s => s.Input is not null).Select(s => s.Id)];
    }

    private static string StateName(RecordedTensor t) => $"state_{t.Id}";

    private static object[] Dims(TensorShape shape, string? symbolicRows = null) =>
        [.. shape.Dims.ToArray().Select((d, axis) => axis == 0 && symbolicRows is not null ? symbolicRows : (object)(long)d)];

    private static int[] Spec(TensorShape shape, string? symbolicRows) =>
        [.. shape.Dims.ToArray().Select((d, axis) => axis == 0 && symbolicRows is not null ? -1 : d)];

    private static long[] Longs(TensorShape shape) => [.. shape.Dims.ToArray().Select(d => (long)d)];

    // ---- values -------------------------------------------------------------------------------------------------

    /// <summary>The graph value a tensor holds now: computed in this graph, a constant, zeros, or a state input.</summary>
    private string Use(RecordedTensor t)
    {
        if (t.ValueGraph == _graphNumber)
        {
            if (t.Value is not null)
                return t.Value;
            if (t.Pieces is not null)
                return Assign(t, Assemble(t, t.Pieces));
        }
        string value = Initial(t);
        t.ValueGraph = _graphNumber;
        t.Value = value;
        t.Pieces = null;
        return value;
    }

    /// <summary>The value a tensor has before this graph writes it.</summary>
    private string Initial(RecordedTensor t)
    {
        if (t.Constant is not null)
            return G.Floats("const", t.Constant, Longs(t.Shape));
        if (t.CreatedInGraph == _graphNumber)
            return Filled(t.Shape, 0f);
        if (!_stateReads.Contains(t))
        {
            _stateReads.Add(t);
            G.Input(StateName(t), DataType.Float, Dims(t.Shape));
        }
        return StateName(t);
    }

    private string Assemble(RecordedTensor t, SliceWrites pieces)
    {
        var parts = new List<string>();
        string? initial = null;
        foreach ((int start, int length, string? value) in pieces.InOrder())
            parts.Add(value ?? Slice(initial ??= Initial(t), pieces.Axis, start, start + length));
        return parts.Count == 1 ? parts[0] : G.Node("Concat", parts, Attr.Int("axis", pieces.Axis));
    }

    /// <summary>Makes <paramref name="value"/> the tensor's whole value (a write).</summary>
    private string Assign(RecordedTensor t, string value)
    {
        if (t.Constant is not null && _builder is not null && t.CreatedInGraph != _graphNumber)
            throw new InvalidOperationException($"Tensor {t.Id} {t.Shape} is a constant; the model definition must not write it.");
        t.ValueGraph = _graphNumber;
        t.Value = value;
        t.Pieces = null;
        MarkWritten(t);
        return value;
    }

    private void MarkWritten(RecordedTensor t)
    {
        if (t.CreatedInGraph != _graphNumber && !_written.Contains(t))
            _written.Add(t);
    }

    private string Filled(TensorShape shape, float value) =>
        G.Node("Expand", [G.FloatScalar(value), G.Int64Vector(Longs(shape))]);

    private string Slice(string value, int axis, int start, int end) =>
        G.Node("Slice", [value, G.Int64Vector(start), G.Int64Vector(end), G.Int64Vector(axis)]);

    private static RecordedTensor Own(ITensor tensor) => TensorArguments.Own<RecordedTensor>(tensor, "graph", "tensor", BackendName);

    private RecordedTensor NewTensor(TensorShape shape, float[]? constant) => new(++_nextId, shape, constant, _builder is null ? 0 : _graphNumber);
}
