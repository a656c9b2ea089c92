using PocketTts.Backends.Onnx.Manifest;
using PocketTts.Backends.Onnx.Protos;

namespace PocketTts.Backends.Onnx.Graphs;

/// <summary>One recorded graph: the ONNX model and what its runtime must feed and keep.</summary>
/// <param name="Model">The ONNX model.</param>
/// <param name="Spec">Its inputs, outputs, state tensors and caches, as the manifest lists them.</param>
internal sealed record RecordedGraph(ModelProto Model, GraphSpec Spec);
