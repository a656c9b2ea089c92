using PocketTts.Backends.Onnx.Manifest;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The text conditioner on the <c>text_conditioner</c> graph.</summary>
internal sealed class OnnxTextConditionerStage(string backendName, ModelSettings settings, OnnxGraph graph) : ITextConditionerStage
{
    public string BackendName { get; } = backendName;

    public int EmbeddingDim => settings.ModelDim;

    public int TableRows => settings.TableRows;

    public void Embed(ReadOnlySpan<int> tokenIds, Span<float> embeddings)
    {
        StageArguments.Embed(this, tokenIds, embeddings);
        var ids = new long[tokenIds.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = tokenIds[i];
        if (ids.Length == 0)
            return;
        var result = new float[embeddings.Length];
        using var call = new GraphCall();
        call.Input("token_ids", ids, ids.Length)
            .Output("embeddings", result, ids.Length, EmbeddingDim)
            .Run(graph);
        result.CopyTo(embeddings);
    }

    public void Dispose() => graph.Dispose();
}
