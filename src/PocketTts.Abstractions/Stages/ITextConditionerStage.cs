namespace PocketTts.Stages;

/// <summary>The text conditioner: a lookup table from token ids to FlowLM-width embeddings.</summary>
public interface ITextConditionerStage : IModelStage
{
    /// <summary>Width of one embedding (the FlowLM model width).</summary>
    int EmbeddingDim { get; }

    /// <summary>Number of rows of the table (tokenizer vocabulary + 1 padding row).</summary>
    int TableRows { get; }

    /// <summary>Looks up the embeddings of <paramref name="tokenIds"/> into <paramref name="embeddings"/> [ids, EmbeddingDim].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table.</exception>
    void Embed(ReadOnlySpan<int> tokenIds, Span<float> embeddings);
}
