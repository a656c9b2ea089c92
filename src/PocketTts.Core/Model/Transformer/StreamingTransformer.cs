using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Transformer;

/// <summary>
/// The causal streaming transformer shared by FlowLM and the Mimi encoder and decoder (<c>StreamingTransformer</c>
/// in pocket_tts/modules/mimi_transformer.py). Weights are immutable after load; per-stream data lives in a
/// <see cref="StreamingTransformerState"/>, so one instance serves concurrent streams.
/// </summary>
/// <remarks>
/// Usage: <c>new StreamingTransformer(backend, config, root.Scope("flow_lm").Scope("transformer"))</c> reads
/// <c>layers.N.{self_attn.in_proj, self_attn.out_proj, norm1, norm2, linear1, linear2, layer_scale_1, layer_scale_2}</c>;
/// <c>CreateState(capacity, stepRows)</c> makes a state (capacity: positions for a linear cache, or at least
/// window + the longest call for a ring); <c>Forward(x, state)</c> transforms x [rows, DModel] in place and advances
/// the state by rows. A one-shot pass is one call on a fresh state; streaming is repeated calls. Calls of exactly
/// <c>stepRows</c> rows allocate nothing.
/// </remarks>
internal sealed class StreamingTransformer : IDisposable
{
    private readonly ITensorBackend _backend;
    private readonly StreamingTransformerLayer[] _layers;

    /// <summary>
    /// Loads <c>layers.0</c> … <c>layers.{NumLayers − 1}</c> from <paramref name="weights"/>, quantizing the float
    /// linear layers of <paramref name="quantize"/> to int8 (layers already int8 in the file load as int8 anyway).
    /// </summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public StreamingTransformer(ITensorBackend backend, StreamingTransformerConfig config, WeightScope weights, QuantizationGroups quantize = QuantizationGroups.None)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        config.Validate();
        _backend = backend;
        Config = config;
        _layers = new StreamingTransformerLayer[config.NumLayers];
        for (int i = 0; i < _layers.Length; i++)
            _layers[i] = new StreamingTransformerLayer(backend, config, weights.Scope("layers", i), quantize);
    }

    public StreamingTransformerConfig Config { get; }

    /// <summary>
    /// A fresh state at position 0 with one cache per layer holding <paramref name="capacity"/> positions (a ring of
    /// that size when the configuration has a context: then at least context + the longest call) and a workspace for
    /// calls of <paramref name="stepRows"/> rows.
    /// </summary>
    public StreamingTransformerState CreateState(int capacity, int stepRows = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepRows, 1);
        if (Config.Context is int window && capacity < window + stepRows)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A ring cache for steps of {stepRows} rows with window {window} needs at least {window + stepRows} positions.");
        return new StreamingTransformerState(this, _backend, capacity, stepRows);
    }

    /// <summary>
    /// Runs x [rows, DModel] through every layer in place, at positions state.Offset … + rows − 1, then advances the
    /// state by rows.
    /// </summary>
    /// <exception cref="ArgumentException">x has the wrong shape or the state belongs to another transformer.</exception>
    /// <exception cref="InvalidOperationException">The call does not fit the state's caches.</exception>
    public void Forward(ITensor x, StreamingTransformerState state)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Owner != this)
            throw new ArgumentException("The state was created by another transformer.", nameof(state));
        TensorShape shape = x.Shape;
        if (shape.Rank != 2 || shape[0] < 1 || shape[1] != Config.DModel)
            throw new ArgumentException($"Transformer input must be [rows ≥ 1, {Config.DModel}], got {shape}.", nameof(x));
        int rows = shape[0];
        state.EnsureRoom(rows);

        TransformerWorkspace? temporary = rows == state.StepRows ? null : new TransformerWorkspace(_backend, rows, Config);
        try
        {
            TransformerWorkspace workspace = temporary ?? state.StepWorkspace;
            for (int i = 0; i < _layers.Length; i++)
                _layers[i].Forward(x, state.Cache(i), state.Offset, workspace);
        }
        finally
        {
            temporary?.Dispose();
        }
        state.Advance(rows);
    }

    public void Dispose()
    {
        foreach (StreamingTransformerLayer layer in _layers)
            layer.Dispose();
    }
}
