using PocketTts.Config;
using PocketTts.Graphs;
using PocketTts.Model.Graphs;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Conditioning;

/// <summary>
/// The text conditioner (<c>LUTConditioner</c> in pocket_tts/conditioners/text.py): token ids → rows of
/// <c>flow_lm.conditioner.embed.weight</c> [n_bins + 1, dim] (the last row is padding, never produced by the
/// tokenizer). Immutable and safe to share.
/// </summary>
internal sealed class TextConditionerStage : ITextConditionerStage
{
    private readonly ITensorBackend _backend;
    private readonly ITensor _table;    // [n_bins + 1, dim]

    /// <summary>Loads the lookup table from a whole checkpoint's root scope.</summary>
    /// <exception cref="ArgumentException">The table width differs from the FlowLM width.</exception>
    /// <exception cref="InvalidDataException">The table is missing or mis-shaped.</exception>
    public TextConditionerStage(ITensorBackend backend, ModelConfig config, WeightScope root)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        LookupTableConfig table = config.FlowLm.LookupTable;
        int dModel = config.FlowLm.Transformer.DModel;
        if (table.Dim != dModel)
        {
            throw new ArgumentException(
                $"flow_lm.lookup_table.dim ({table.Dim}) must equal flow_lm.transformer.d_model ({dModel}): text embeddings enter the transformer without a projection.");
        }
        if (table.NBins <= 0)
            throw new ArgumentException($"flow_lm.lookup_table.n_bins must be positive, got {table.NBins}.");
        _backend = backend;
        EmbeddingDim = table.Dim;
        TableRows = table.NBins + 1;
        _table = backend.Constant(root.Scope("flow_lm").Scope("conditioner").Scope("embed"), "weight", TableRows, EmbeddingDim);
    }

    /// <inheritdoc/>
    public string BackendName => _backend.Name;

    /// <inheritdoc/>
    public int EmbeddingDim { get; }

    /// <inheritdoc/>
    public int TableRows { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="embeddings"/> is not [ids, EmbeddingDim].</exception>
    public void Embed(ReadOnlySpan<int> tokenIds, Span<float> embeddings)
    {
        StageArguments.Embed(this, tokenIds, embeddings);
        if (tokenIds.IsEmpty)
            return;
        using ITensor y = _backend.Allocate(new TensorShape(tokenIds.Length, EmbeddingDim));
        _backend.Embedding(_table, tokenIds, y);
        _backend.Read(y, embeddings);
    }

    /// <summary>
    /// Records <see cref="StageGraphNames.TextConditioner"/> on the recorder the stage was built on: the lookup of
    /// <see cref="Embed"/>, with the ids as the graph's input.
    /// </summary>
    internal void RecordGraph()
    {
        IGraphRecorder recorder = GraphRecording.Recorder(_backend);
        using ITensor embeddings = recorder.Allocate(new TensorShape(1, EmbeddingDim));
        recorder.BeginGraph(StageGraphNames.TextConditioner);
        recorder.Lookup(_table, "token_ids", "tokens", embeddings);
        recorder.Output(embeddings, "embeddings", "tokens");
        recorder.EndGraph();
    }

    /// <inheritdoc/>
    public void Dispose() => _table.Dispose();
}
