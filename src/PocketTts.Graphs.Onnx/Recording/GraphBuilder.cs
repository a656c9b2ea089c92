using System.Runtime.InteropServices;
using Google.Protobuf;
using PocketTts.Graphs.Onnx.Protos;

namespace PocketTts.Graphs.Onnx;

/// <summary>
/// Builds one ONNX graph node by node: unique value names, initializers, typed inputs and outputs, and the model
/// around it (opset <see cref="Opset"/>). It knows the format, not the model.
/// </summary>
internal sealed class GraphBuilder
{
    /// <summary>The default-domain opset the graphs use (LayerNormalization needs 17).</summary>
    public const int Opset = 17;

    private const int IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _hints = [];
    private readonly Dictionary<long, string> _int64Scalars = [];
    private readonly Dictionary<int, string> _floatScalars = [];

    public GraphBuilder(string name) => _graph = new GraphProto { Name = name };

    /// <summary>The graph's name.</summary>
    public string Name => _graph.Name;

    /// <summary>A value name not used before in this graph, readable from <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        _hints.TryGetValue(hint, out int n);
        _hints[hint] = n + 1;
        return n == 0 ? hint : $"{hint}_{n}";
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) => Node(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs and returns their names.</summary>
    public string[] Node(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++)
            names[i] = Fresh(op.ToLowerInvariant());
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    /// <summary>Adds a node whose one output has the given name (a graph output's).</summary>
    public void NodeTo(string op, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        _graph.Node.Add(node);
    }

    /// <summary>A float initializer (copied).</summary>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims) =>
        Initializer(hint, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A uint8 initializer (copied).</summary>
    public string Bytes(string hint, ReadOnlySpan<byte> values, params long[] dims) =>
        Initializer(hint, TensorProto.Types.DataType.Uint8, values, dims);

    /// <summary>An int64 initializer (copied).</summary>
    public string Int64s(string hint, ReadOnlySpan<long> values, params long[] dims) =>
        Initializer(hint, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A one-dimensional int64 initializer, for shapes, axes, starts and ends.</summary>
    public string Int64Vector(params long[] values) => Int64s("ints", values, values.Length);

    /// <summary>An int64 scalar initializer, shared by every use of the same value.</summary>
    public string Int64Scalar(long value)
    {
        if (!_int64Scalars.TryGetValue(value, out string? name))
            _int64Scalars[value] = name = Int64s("int", [value]);
        return name;
    }

    /// <summary>A float scalar initializer, shared by every use of the same value.</summary>
    public string FloatScalar(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        if (!_floatScalars.TryGetValue(bits, out string? name))
            _floatScalars[bits] = name = Floats("float", [value]);
        return name;
    }

    /// <summary>Declares a graph input; a dimension is a size (long) or a symbolic name (string).</summary>
    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) => _graph.Input.Add(ValueInfo(name, type, dims));

    /// <summary>Declares a graph output; a dimension is a size (long) or a symbolic name (string).</summary>
    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => _graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>The graph wrapped in a model, with <paramref name="metadata"/> as metadata properties.</summary>
    public ModelProto ToModel(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "pocket-tts-dotnet",
            ProducerVersion = typeof(GraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach ((string key, string value) in metadata ?? new Dictionary<string, string>())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string Initializer(string hint, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                IConvertible size => new TensorShapeProto.Types.Dimension { DimValue = size.ToInt64(null) },
                _ => throw new ArgumentException($"A dimension is a size or a symbolic name, not {dim}.", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}

/// <summary>Node attributes.</summary>
internal static class Attr
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
