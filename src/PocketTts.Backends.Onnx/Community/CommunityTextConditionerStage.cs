using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>The text conditioner on a community <c>text_conditioner</c> graph: <c>token_ids</c> int64 [1, T] → <c>embeddings</c> [1, T, dim].</summary>
/// <param name="backendName">The backend's name.</param>
/// <param name="embeddingDim">The FlowLM width.</param>
/// <param name="tableRows">The tokenizer's vocabulary plus the padding row.</param>
/// <param name="graph">The graph.</param>
internal sealed class CommunityTextConditionerStage(string backendName, int embeddingDim, int tableRows, OnnxGraph graph) : ITextConditionerStage
{
    private readonly int _outputRank = Math.Max(2, graph.OutputMetadata("embeddings")!.Dimensions.Length);

    public string BackendName { get; } = backendName;

    public int EmbeddingDim { get; } = embeddingDim;

    public int TableRows { get; } = tableRows;

    public void Embed(ReadOnlySpan<int> tokenIds, Span<float> embeddings)
    {
        StageArguments.Embed(this, tokenIds, embeddings);
        var ids = new long[tokenIds.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = tokenIds[i];
        if (ids.Length == 0)
            return;
        var result = new float[embeddings.Length];
        long[] shape = _outputRank == 3 ? [1, ids.Length, EmbeddingDim] : [ids.Length, EmbeddingDim];
        using var call = new GraphCall();
        call.Input("token_ids", ids, 1, ids.Length)
            .Output("embeddings", result, shape)
            .Run(graph);
        result.CopyTo(embeddings);
    }

    public void Dispose() => graph.Dispose();
}
