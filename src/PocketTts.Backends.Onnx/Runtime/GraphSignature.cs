using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// What a stream carries through one graph between calls: its state tensors, the attention caches it reads as views
/// of host buffers (this project's graphs; a community graph keeps its caches in states) and the input that takes the
/// stream's position. A stage binds the graph's other inputs and outputs through <see cref="Port"/>s.
/// </summary>
/// <param name="Name">The graph's name, for messages.</param>
/// <param name="File">The graph file, relative to its folder.</param>
/// <param name="States">The carried states.</param>
/// <param name="Caches">The host attention caches.</param>
/// <param name="Position">The int64 input of the stream's position, or null.</param>
internal sealed record GraphSignature(string Name, string File, CarriedState[] States, CacheSpec[] Caches, string? Position)
{
    /// <summary>The signature of a graph this project exported, as its manifest describes it: float32 states that start as zeros.</summary>
    public static GraphSignature Of(GraphSpec spec) =>
        new(spec.Name, spec.File, [.. spec.States.Select(s => new CarriedState(s.Id, s.Input, s.Output, StateDtype.Float32, s.Shape, StateFill.Zeros))], spec.Caches, spec.Position);

    /// <summary>Rows a call of a fixed-shape graph appends to its caches, as recorded (0 for a graph without caches).</summary>
    public int CacheRowsPerCall => Caches.Length == 0 ? 0 : Caches[0].Rows;
}
