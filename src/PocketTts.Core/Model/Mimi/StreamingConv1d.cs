using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// A causal convolution that streams (reference: <c>StreamingConv1d</c> in <c>pocket_tts/modules/conv.py</c>). It
/// keeps the last <see cref="Config.History"/> input samples and puts them in front of the next input, so each
/// call returns exactly T / Stride outputs and a signal cut anywhere at a multiple of the stride gives the output
/// of the whole signal.
/// </summary>
/// <remarks>
/// <code>
///   call n:    [ history (H) | x (T)                ]   → conv without padding → T / S outputs
///   call n+1:               [ last H of the above | x' ]
/// </code>
/// H = (K − 1)·D + 1 − S. The first history is zeros (causal padding), or, in replicate mode, copies of the first
/// input sample. SEANet's ELU before a convolution is fused here (<see cref="Config.EluInput"/>): the history holds
/// raw inputs and the ELU runs over the assembled buffer, which equals applying it to each input once.
/// </remarks>
internal sealed class StreamingConv1d : IStreamingLayer
{
    /// <summary>Geometry and options.</summary>
    /// <param name="InChannels">Input channels.</param>
    /// <param name="OutChannels">Output channels.</param>
    /// <param name="KernelSize">Kernel taps.</param>
    /// <param name="Stride">Stride; every call's length must be a multiple of it.</param>
    /// <param name="Dilation">Dilation.</param>
    /// <param name="Groups">Groups.</param>
    /// <param name="Bias">Whether the checkpoint has <c>conv.bias</c>.</param>
    /// <param name="Pad">How the history starts.</param>
    /// <param name="EluInput">Apply ELU (alpha 1) to the input first (SEANet's <c>nn.ELU</c> before the convolution).</param>
    public sealed record Config(int InChannels, int OutChannels, int KernelSize, int Stride = 1, int Dilation = 1, int Groups = 1,
                                bool Bias = true, PadMode Pad = PadMode.Constant, bool EluInput = false)
    {
        /// <summary>Input samples carried between calls: (K − 1)·D + 1 − S.</summary>
        public int History => (KernelSize - 1) * Dilation + 1 - Stride;

        /// <summary>The backend geometry.</summary>
        public ConvGeometry Geometry => new(InChannels, OutChannels, KernelSize, Stride, Dilation, Groups);
    }

    /// <summary>The per-stream state (reference: <c>previous</c> and <c>first</c>).</summary>
    public sealed class State : IStreamingState
    {
        private readonly ITensorBackend _backend;

        internal State(ITensorBackend backend, Config config, int steps)
        {
            _backend = backend;
            if (config.History > 0)
                Previous = backend.Allocate(new TensorShape(config.InChannels, config.History));
            if (config.History > 0 || config.EluInput)
                Padded = backend.Allocate(new TensorShape(config.InChannels, config.History + steps));
        }

        /// <summary>The last History input samples [InChannels, History], raw (before ELU); null when History is 0.</summary>
        internal ITensor? Previous { get; }

        /// <summary>History then input [InChannels, History + T], ELU applied; null when the input is used as it is.</summary>
        internal ITensor? Padded { get; set; }

        /// <summary>No input seen yet (replicate mode fills the history from the first call).</summary>
        internal bool IsFirst { get; set; } = true;

        /// <inheritdoc/>
        public void Reset()
        {
            if (Previous is not null)
                _backend.Fill(Previous, 0f);
            IsFirst = true;
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            Previous?.Dispose();
            Padded?.Dispose();
        }
    }

    private readonly ITensorBackend _backend;
    private readonly Config _config;
    private readonly IPackedConv _weights;      // [OutChannels, InChannels / Groups, KernelSize] and bias [OutChannels]

    /// <summary>Loads <c>conv.weight</c> (and <c>conv.bias</c>) from the module's scope, e.g. <c>mimi.encoder.model.0</c>.</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent; the message names the field.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public StreamingConv1d(ITensorBackend backend, Config config, WeightScope weights)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        config.Geometry.Validate();
        if (config.History < 0)
            throw new ArgumentException($"StreamingConv1d {config}: the kernel span (KernelSize − 1)·Dilation + 1 must be at least Stride.", nameof(config));
        _backend = backend;
        _config = config;
        float[] weight = weights.GetFloats("conv.weight", config.OutChannels, config.InChannels / config.Groups, config.KernelSize);
        float[] bias = config.Bias ? weights.GetFloats("conv.bias", config.OutChannels) : [];
        _weights = backend.PackConv1d(config.Geometry, weight, bias);
    }

    /// <summary>The configuration.</summary>
    public Config Configuration => _config;

    /// <inheritdoc/>
    public int InChannels => _config.InChannels;

    /// <inheritdoc/>
    public int OutChannels => _config.OutChannels;

    /// <inheritdoc/>
    public int OutputLength(int inputLength) => inputLength / _config.Stride;

    /// <summary>A fresh state sized for calls of <paramref name="steps"/> input samples.</summary>
    public State CreateState(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        return new State(_backend, _config, steps);
    }

    IStreamingState IStreamingLayer.CreateState(int steps) => CreateState(steps);

    /// <summary>x [InChannels, T], T a positive multiple of Stride → y [OutChannels, T / Stride].</summary>
    /// <exception cref="ArgumentException">A shape is wrong or T is not a positive multiple of the stride.</exception>
    public void Forward(ITensor x, ITensor y, State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int t = WorkTensor.SignalLength(x, _config.InChannels, nameof(StreamingConv1d));
        if (t == 0 || t % _config.Stride != 0)
            throw new ArgumentException($"StreamingConv1d: an input of {t} steps is not a positive multiple of the stride {_config.Stride}.", nameof(x));
        WorkTensor.RequireShape(y, _config.OutChannels, t / _config.Stride, nameof(StreamingConv1d));

        int h = _config.History;
        if (state.Padded is null)
        {
            _backend.Conv1d(x, _weights, y);
            return;
        }
        ITensor padded = state.Padded = WorkTensor.Ensure(_backend, state.Padded, _config.InChannels, h + t);
        if (h == 0)
        {
            _backend.Unary(UnaryOp.Elu, x, padded);
        }
        else
        {
            ITensor previous = state.Previous!;
            if (state.IsFirst && _config.Pad == PadMode.Replicate)
            {
                for (int j = 0; j < h; j++)
                    _backend.CopySlice(x, 1, 0, padded, j, 1);
            }
            else
            {
                _backend.CopySlice(previous, 1, 0, padded, 0, h);
            }
            _backend.CopySlice(x, 1, 0, padded, h, t);
            _backend.CopySlice(padded, 1, t, previous, 0, h);
            state.IsFirst = false;
            if (_config.EluInput)
                _backend.Unary(UnaryOp.Elu, padded, padded);
        }
        _backend.Conv1d(padded, _weights, y);
    }

    void IStreamingLayer.Forward(ITensor x, ITensor y, IStreamingState state) => Forward(x, y, (State)state);

    /// <inheritdoc/>
    public void Dispose() => _weights.Dispose();
}
