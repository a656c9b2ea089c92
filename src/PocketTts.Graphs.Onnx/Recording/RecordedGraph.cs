using Google.Protobuf;
using PocketTts.Graphs.Onnx.Protos;

namespace PocketTts.Graphs.Onnx;

/// <summary>One recorded graph: the ONNX model and what its runtime must feed and keep.</summary>
public sealed class RecordedGraph
{
    internal RecordedGraph(ModelProto model, GraphSpec spec)
    {
        Model = model;
        Spec = spec;
    }

    /// <summary>Its inputs, outputs, state tensors and caches, as the manifest lists them.</summary>
    public GraphSpec Spec { get; }

    internal ModelProto Model { get; }

    /// <summary>Writes the ONNX model (the bytes of a <c>.onnx</c> file) to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream) => Model.WriteTo(stream);
}
