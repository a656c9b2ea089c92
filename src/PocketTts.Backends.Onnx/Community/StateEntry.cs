using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// One entry of a bundle's state manifest: a tensor of a streaming module that the graph takes as input
/// <see cref="InputName"/> (<c>state_i</c>) and returns updated as <see cref="OutputName"/> (<c>out_state_i</c>).
/// Entries come in the exporter's flattening order: module paths sorted as strings, so "layers.10" precedes
/// "layers.2".
/// </summary>
/// <param name="Module">The module path (e.g. <c>transformer.layers.3.self_attn</c>).</param>
/// <param name="Key">The tensor's key within the module (cache, step, previous, …).</param>
/// <param name="Dtype">Element type.</param>
/// <param name="Shape">Dimensions, all fixed.</param>
/// <param name="Fill">Initial value.</param>
/// <param name="InputName">The graph input that receives it.</param>
/// <param name="OutputName">The graph output that returns it.</param>
internal sealed record StateEntry(string Module, string Key, StateDtype Dtype, int[] Shape, StateFill Fill, string InputName, string OutputName)
{
    /// <summary>Number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary><c>module/key</c>, as the bundle names it.</summary>
    public string Path => $"{Module}/{Key}";

    /// <summary>The state as a stream carries it; <paramref name="index"/>, its place in the manifest, is its id.</summary>
    public CarriedState Carried(int index) => new(index, InputName, OutputName, Dtype, Shape, Fill);
}
