using PocketTts.Tensors;

namespace PocketTts.Model.Mimi;

/// <summary>
/// Streaming layers applied in order, like the reference's <c>nn.ModuleList</c> walked by
/// <c>SEANetEncoder.forward</c>: the output of each layer is the input of the next. The state holds every layer's
/// state and the signal between layers, sized for one call length.
/// </summary>
internal sealed class StreamingSequence : IStreamingLayer
{
    /// <summary>The per-stream state of every layer, and the activations between them.</summary>
    public sealed class State : IStreamingState
    {
        internal State(IStreamingState[] layers, ITensor[] activations, int steps)
        {
            Layers = layers;
            Activations = activations;
            Steps = steps;
        }

        /// <summary>One state per layer.</summary>
        internal IStreamingState[] Layers { get; }

        /// <summary>Work: the output of layer i [OutChannels(i), length after layer i], for every layer but the last.</summary>
        internal ITensor[] Activations { get; }

        /// <summary>The input length the activations are sized for.</summary>
        internal int Steps { get; set; }

        /// <inheritdoc/>
        public void Reset()
        {
            foreach (IStreamingState layer in Layers)
                layer.Reset();
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            foreach (IStreamingState layer in Layers)
                layer.Dispose();
            foreach (ITensor activation in Activations)
                activation.Dispose();
        }
    }

    private readonly ITensorBackend _backend;
    private readonly IStreamingLayer[] _layers;

    /// <summary>Chains <paramref name="layers"/>; each layer's output channels must be the next one's input channels.</summary>
    /// <exception cref="ArgumentException">The list is empty or two neighbours disagree on the channel count.</exception>
    public StreamingSequence(ITensorBackend backend, IReadOnlyList<IStreamingLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new ArgumentException("A streaming sequence needs at least one layer.", nameof(layers));
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i - 1].OutChannels != layers[i].InChannels)
                throw new ArgumentException($"Layer {i - 1} outputs {layers[i - 1].OutChannels} channels but layer {i} expects {layers[i].InChannels}.", nameof(layers));
        }
        _backend = backend;
        _layers = [.. layers];
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<IStreamingLayer> Layers => _layers;

    /// <inheritdoc/>
    public int InChannels => _layers[0].InChannels;

    /// <inheritdoc/>
    public int OutChannels => _layers[^1].OutChannels;

    /// <inheritdoc/>
    public int OutputLength(int inputLength)
    {
        foreach (IStreamingLayer layer in _layers)
            inputLength = layer.OutputLength(inputLength);
        return inputLength;
    }

    /// <summary>A fresh state sized for calls of <paramref name="steps"/> input steps.</summary>
    public State CreateState(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var states = new IStreamingState[_layers.Length];
        var activations = new ITensor[_layers.Length - 1];
        int length = steps;
        for (int i = 0; i < _layers.Length; i++)
        {
            states[i] = _layers[i].CreateState(length);
            length = _layers[i].OutputLength(length);
            if (i < activations.Length)
                activations[i] = _backend.Allocate(new TensorShape(_layers[i].OutChannels, length));
        }
        return new State(states, activations, steps);
    }

    IStreamingState IStreamingLayer.CreateState(int steps) => CreateState(steps);

    /// <summary>x [InChannels, T] → y [OutChannels, OutputLength(T)], layer after layer.</summary>
    public void Forward(ITensor x, ITensor y, State state)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(state);
        int t = x.Shape.Rank == 2 ? x.Shape[1] : 0;
        if (t != state.Steps)
            Resize(state, t);
        ITensor current = x;
        for (int i = 0; i < _layers.Length; i++)
        {
            ITensor output = i == _layers.Length - 1 ? y : state.Activations[i];
            _layers[i].Forward(current, output, state.Layers[i]);
            current = output;
        }
    }

    void IStreamingLayer.Forward(ITensor x, ITensor y, IStreamingState state) => Forward(x, y, (State)state);

    private void Resize(State state, int steps)
    {
        int length = steps;
        for (int i = 0; i < state.Activations.Length; i++)
        {
            length = _layers[i].OutputLength(length);
            state.Activations[i] = WorkTensor.Ensure(_backend, state.Activations[i], _layers[i].OutChannels, length);
        }
        state.Steps = steps;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IStreamingLayer layer in _layers)
            layer.Dispose();
    }
}
