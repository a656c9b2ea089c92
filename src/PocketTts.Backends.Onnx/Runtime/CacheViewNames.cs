using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The names of a graph's four views of one attention cache, encoded once for <see cref="CacheViewBinder"/>.</summary>
internal sealed class CacheViewNames(CacheSpec spec)
{
    /// <summary>The cache's id in the stream.</summary>
    public int Id { get; } = spec.Id;

    public byte[] PastKeys { get; } = CacheViewBinder.Name(spec.PastKeys);

    public byte[] PastValues { get; } = CacheViewBinder.Name(spec.PastValues);

    public byte[] NewKeys { get; } = CacheViewBinder.Name(spec.NewKeys);

    public byte[] NewValues { get; } = CacheViewBinder.Name(spec.NewValues);
}
