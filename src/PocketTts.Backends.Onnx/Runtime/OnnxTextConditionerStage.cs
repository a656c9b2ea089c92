using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The text conditioner on one graph (<see cref="TextConditionerSignature"/>): token ids as int64 → embeddings.</summary>
internal sealed class OnnxTextConditionerStage(string backendName, TextConditionerSignature graph) : ITextConditionerStage
{
    public string BackendName { get; } = backendName;

    public int EmbeddingDim => graph.EmbeddingDim;

    public int TableRows => graph.TableRows;

    public void Embed(ReadOnlySpan<int> tokenIds, Span<float> embeddings)
    {
        StageArguments.Embed(this, tokenIds, embeddings);
        if (tokenIds.IsEmpty)
            return;
        var ids = new long[tokenIds.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = tokenIds[i];
        var result = new float[embeddings.Length];
        using var call = new GraphBinding(graph.Graph);
        call.Input(graph.Ids, ids.AsMemory(), ids.Length)
            .Output(graph.Embeddings, result.AsMemory(), ids.Length, EmbeddingDim)
            .Run();
        result.CopyTo(embeddings);
    }

    public void Dispose() => graph.Graph.Dispose();
}
