namespace PocketTts.Graphs.Onnx;

/// <summary>A named tensor of a graph's interface and its shape.</summary>
/// <param name="Name">The graph input or output name.</param>
/// <param name="Shape">Its dimensions.</param>
public sealed record TensorSpec(string Name, int[] Shape);

/// <summary>
/// A tensor a graph carries from one call to the next (a streaming convolution's history): its input, its output,
/// or both; it starts as zeros. Tensors with the same id are the same state across the graphs of a stage.
/// </summary>
/// <param name="Id">The state's identity within the stage.</param>
/// <param name="Input">The input that receives the value before the call, or null when the graph only writes it.</param>
/// <param name="Output">The output that holds the value after the call, or null when the graph only reads it.</param>
/// <param name="Shape">Its dimensions.</param>
public sealed record StateSpec(int Id, string? Input, string? Output, int[] Shape);

/// <summary>
/// An attention layer's keys and values: the call reads the past rows (<c>[past, Heads, HeadDim]</c>, at most
/// <c>Window − 1</c> of them for a windowed cache) and returns its new rows (<c>[rows, Heads, HeadDim]</c>), which the
/// runtime appends.
/// </summary>
/// <param name="Id">The cache's identity within the stage (layer order).</param>
/// <param name="Heads">Heads.</param>
/// <param name="HeadDim">Features per head.</param>
/// <param name="Window">The attention context for a windowed cache; null for a linear one.</param>
/// <param name="Rows">Rows per call in the recording: what a fixed-shape graph (Mimi's) always appends.</param>
/// <param name="PastKeys">Input: keys of the past rows.</param>
/// <param name="PastValues">Input: values of the past rows.</param>
/// <param name="NewKeys">Output: keys of the call's rows.</param>
/// <param name="NewValues">Output: values of the call's rows.</param>
public sealed record CacheSpec(int Id, int Heads, int HeadDim, int? Window, int Rows, string PastKeys, string PastValues, string NewKeys, string NewValues);

/// <summary>One graph file and its interface.</summary>
/// <param name="Name">The graph's role (flow_lm_main, mimi_decoder, …).</param>
/// <param name="File">The .onnx file, relative to the manifest.</param>
/// <param name="Inputs">Float inputs the caller provides.</param>
/// <param name="Outputs">Float outputs the caller reads.</param>
/// <param name="States">State carried between calls.</param>
/// <param name="Caches">Attention caches.</param>
/// <param name="Position">The int64 scalar input holding the absolute position of the call's first row (RoPE), or null.</param>
public sealed record GraphSpec(string Name, string File, TensorSpec[] Inputs, TensorSpec[] Outputs, StateSpec[] States, CacheSpec[] Caches, string? Position);
