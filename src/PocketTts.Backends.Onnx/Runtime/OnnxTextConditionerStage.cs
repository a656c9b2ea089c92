using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The text conditioner on a <c>text_conditioner</c> graph: <c>token_ids</c> int64 → <c>embeddings</c>. This
/// project's graphs take [T] → [T, dim]; a community bundle's take a batch axis, [1, T] → [1, T, dim] (or [T, dim]).
/// </summary>
/// <param name="backendName">The backend's name.</param>
/// <param name="embeddingDim">The FlowLM width.</param>
/// <param name="tableRows">The tokenizer's vocabulary plus the padding row.</param>
/// <param name="graph">The graph.</param>
/// <param name="idsBatched">The ids input has a leading batch axis of 1.</param>
/// <param name="embeddingsBatched">The embeddings output has a leading batch axis of 1.</param>
internal sealed class OnnxTextConditionerStage(string backendName, int embeddingDim, int tableRows, OnnxGraph graph, bool idsBatched = false, bool embeddingsBatched = false)
    : ITextConditionerStage
{
    public string BackendName { get; } = backendName;

    public int EmbeddingDim { get; } = embeddingDim;

    public int TableRows { get; } = tableRows;

    public void Embed(ReadOnlySpan<int> tokenIds, Span<float> embeddings)
    {
        StageArguments.Embed(this, tokenIds, embeddings);
        if (tokenIds.IsEmpty)
            return;
        var ids = new long[tokenIds.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = tokenIds[i];
        var result = new float[embeddings.Length];
        long[] idsShape = idsBatched ? [1, ids.Length] : [ids.Length];
        long[] embeddingsShape = embeddingsBatched ? [1, ids.Length, EmbeddingDim] : [ids.Length, EmbeddingDim];
        using var call = new GraphBinding(graph);
        call.Input("token_ids", ids.AsMemory(), idsShape)
            .Output("embeddings", result.AsMemory(), embeddingsShape)
            .Run();
        result.CopyTo(embeddings);
    }

    public void Dispose() => graph.Dispose();
}
