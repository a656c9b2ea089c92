using PocketTts.Config;
using PocketTts.Model.Transformer;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// Mimi's encoder or decoder transformer (reference: <c>ProjectedTransformer</c> in
/// <c>pocket_tts/modules/mimi_transformer.py</c>) as a streaming layer of the convolutional signal path: the
/// signal [channels, T] is transposed to a sequence [T, channels], run through the shared streaming transformer
/// (attention limited to the last <c>context</c> steps, through a ring cache) and transposed back. Every shipped
/// configuration has input and output widths equal to d_model, so there are no projections.
/// </summary>
internal sealed class MimiTransformer : IStreamingLayer
{
    private readonly ITensorBackend _backend;
    private readonly StreamingTransformer _transformer;

    /// <summary>Per stream: the transformer's caches and the sequence-layout work buffer.</summary>
    private sealed class State(StreamingTransformerState transformer, ITensor sequence) : IStreamingState
    {
        public StreamingTransformerState Transformer { get; } = transformer;

        public ITensor Sequence { get; set; } = sequence;

        public void Reset() => Transformer.Reset();

        public void Dispose()
        {
            Transformer.Dispose();
            Sequence.Dispose();
        }
    }

    /// <exception cref="ArgumentException">The configuration asks for input or output projections.</exception>
    public MimiTransformer(ITensorBackend backend, MimiTransformerConfig config, WeightScope weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        if (config.InputDimension != config.DModel || config.OutputDimensions.Count != 1 || config.OutputDimensions[0] != config.DModel)
        {
            throw new ArgumentException(
                $"Mimi transformer with input_dimension {config.InputDimension} and output_dimensions [{string.Join(", ", config.OutputDimensions)}] " +
                $"needs projections; every published configuration has both equal to d_model ({config.DModel}).", nameof(config));
        }
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _transformer = new StreamingTransformer(backend, StreamingTransformerConfig.FromMimi(config), weights.Scope("transformer"));
        InChannels = OutChannels = config.DModel;
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int OutputLength(int inputLength) => inputLength;

    /// <summary>A ring cache of context + steps positions: a call of <paramref name="steps"/> rows always sees its full context.</summary>
    public IStreamingState CreateState(int steps)
    {
        int rows = Math.Max(1, steps);
        int capacity = (_transformer.Config.Context ?? 0) + rows;
        return new State(_transformer.CreateState(capacity, rows), _backend.Allocate(new TensorShape(rows, InChannels)));
    }

    public void Forward(ITensor x, ITensor y, IStreamingState state)
    {
        var s = (State)state;
        int steps = WorkTensor.SignalLength(x, InChannels, "Mimi transformer input");
        s.Sequence = WorkTensor.Ensure(_backend, s.Sequence, steps, InChannels);
        _backend.Transpose(x, s.Sequence);
        _transformer.Forward(s.Sequence, s.Transformer);
        _backend.Transpose(s.Sequence, y);
    }

    public void Dispose() => _transformer.Dispose();
}
