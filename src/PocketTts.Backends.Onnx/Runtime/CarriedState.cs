namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>Element types of a carried state tensor.</summary>
internal enum StateDtype
{
    Float32,
    Int64,
    Bool,
}

/// <summary>
/// How a carried state starts: all zeros, all ones, all NaN (an attention cache, so a stray read of an unwritten row
/// cannot pass silently) or no elements.
/// </summary>
internal enum StateFill
{
    Zeros,
    Ones,
    NaN,
    Empty,
}

/// <summary>
/// A tensor a graph carries from one call to the next: it reads the current value as input <see cref="Input"/> and
/// returns the next one as output <see cref="Output"/>. The graphs of one stream that name the same
/// <see cref="Id"/> share it (the Mimi encoder's first-chunk graph writes states that its next-chunk graph reads).
/// </summary>
/// <param name="Id">The state's identity within a stream.</param>
/// <param name="Input">The graph input that reads it, or null when the graph only writes it.</param>
/// <param name="Output">The graph output that returns it, or null when the graph only reads it.</param>
/// <param name="Dtype">Element type.</param>
/// <param name="Shape">Dimensions, all fixed.</param>
/// <param name="Fill">Initial value.</param>
internal sealed record CarriedState(int Id, string? Input, string? Output, StateDtype Dtype, int[] Shape, StateFill Fill)
{
    /// <summary>Number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The shape as ONNX Runtime takes it.</summary>
    public long[] LongShape => [.. Shape.Select(d => (long)d)];
}
