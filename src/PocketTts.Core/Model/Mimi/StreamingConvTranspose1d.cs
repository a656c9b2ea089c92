using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// A transposed convolution that streams (reference: <c>StreamingConvTranspose1d</c> in
/// <c>pocket_tts/modules/conv.py</c>): each call returns T·Stride samples and keeps the overlap with the next call.
/// </summary>
/// <remarks>
/// <code>
///   full output of call n:   [ 0 … P ) [ P … T·S )   [ T·S … T·S + P )      P = K − S
///                            + partial    returned   → new partial (minus the bias)
/// </code>
/// The tail that later inputs will still add to is held back as the partial. Its bias is subtracted, because the
/// next call's full output carries the bias again where the partial is added.
/// </remarks>
internal sealed class StreamingConvTranspose1d : IStreamingLayer
{
    /// <summary>Geometry and options.</summary>
    /// <param name="InChannels">Input channels.</param>
    /// <param name="OutChannels">Output channels.</param>
    /// <param name="KernelSize">Kernel taps (at least the stride).</param>
    /// <param name="Stride">Stride: output samples per input sample.</param>
    /// <param name="Groups">Groups (the upsampling convolution is depthwise).</param>
    /// <param name="Bias">Whether the checkpoint has <c>convtr.bias</c>.</param>
    /// <param name="EluInput">Apply ELU (alpha 1) to the input first (SEANet's <c>nn.ELU</c> before the convolution).</param>
    public sealed record Config(int InChannels, int OutChannels, int KernelSize, int Stride, int Groups = 1, bool Bias = true, bool EluInput = false)
    {
        /// <summary>Output samples carried to the next call: K − S.</summary>
        public int Overlap => KernelSize - Stride;

        /// <summary>The backend geometry.</summary>
        public ConvGeometry Geometry => new(InChannels, OutChannels, KernelSize, Stride, 1, Groups);
    }

    /// <summary>The per-stream state (reference: <c>partial</c>).</summary>
    public sealed class State : IStreamingState
    {
        private readonly ITensorBackend _backend;

        internal State(ITensorBackend backend, Config config, int steps)
        {
            _backend = backend;
            int p = config.Overlap;
            if (p > 0)
            {
                Partial = backend.Allocate(new TensorShape(config.OutChannels, p));
                Head = backend.Allocate(new TensorShape(config.OutChannels, p));
                Full = backend.Allocate(new TensorShape(config.OutChannels, steps * config.Stride + p));
            }
            if (config.EluInput)
                Activated = backend.Allocate(new TensorShape(config.InChannels, steps));
        }

        /// <summary>Overlap for the next call [OutChannels, K − S], without bias; null when K = S.</summary>
        internal ITensor? Partial { get; }

        /// <summary>Work: the first K − S outputs plus the partial [OutChannels, K − S].</summary>
        internal ITensor? Head { get; }

        /// <summary>Work: the full transposed-convolution output [OutChannels, T·S + K − S].</summary>
        internal ITensor? Full { get; set; }

        /// <summary>Work: ELU of the input [InChannels, T]; null without <see cref="Config.EluInput"/>.</summary>
        internal ITensor? Activated { get; set; }

        /// <inheritdoc/>
        public void Reset()
        {
            if (Partial is not null)
                _backend.Fill(Partial, 0f);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            Partial?.Dispose();
            Head?.Dispose();
            Full?.Dispose();
            Activated?.Dispose();
        }
    }

    private readonly ITensorBackend _backend;
    private readonly Config _config;
    private readonly IPackedConv _weights;      // [InChannels, OutChannels / Groups, KernelSize] and bias [OutChannels]
    private readonly ITensor? _negatedBias;     // −bias repeated over the overlap [OutChannels, K − S]

    /// <summary>Loads <c>convtr.weight</c> (and <c>convtr.bias</c>) from the module's scope, e.g. <c>mimi.decoder.model.2</c>.</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent; the message names the field.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public StreamingConvTranspose1d(ITensorBackend backend, Config config, WeightScope weights)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        config.Geometry.Validate();
        if (config.Overlap < 0)
            throw new ArgumentException($"StreamingConvTranspose1d {config}: KernelSize must be at least Stride.", nameof(config));
        _backend = backend;
        _config = config;
        float[] weight = weights.GetFloats("convtr.weight", config.InChannels, config.OutChannels / config.Groups, config.KernelSize);
        float[] bias = config.Bias ? weights.GetFloats("convtr.bias", config.OutChannels) : [];
        _weights = backend.PackConvTranspose1d(config.Geometry, weight, bias);
        if (config.Bias && config.Overlap > 0)
        {
            int p = config.Overlap;
            var negated = new float[config.OutChannels * p];
            for (int c = 0; c < config.OutChannels; c++)
                negated.AsSpan(c * p, p).Fill(-bias[c]);
            _negatedBias = backend.Constant(negated, new TensorShape(config.OutChannels, p));
        }
    }

    /// <summary>The configuration.</summary>
    public Config Configuration => _config;

    /// <inheritdoc/>
    public int InChannels => _config.InChannels;

    /// <inheritdoc/>
    public int OutChannels => _config.OutChannels;

    /// <inheritdoc/>
    public int OutputLength(int inputLength) => inputLength * _config.Stride;

    /// <summary>A fresh state (zero partial) sized for calls of <paramref name="steps"/> input steps.</summary>
    public State CreateState(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        return new State(_backend, _config, steps);
    }

    IStreamingState IStreamingLayer.CreateState(int steps) => CreateState(steps);

    /// <summary>x [InChannels, T], T ≥ 1 → y [OutChannels, T·Stride].</summary>
    /// <exception cref="ArgumentException">A shape is wrong or the input is empty.</exception>
    public void Forward(ITensor x, ITensor y, State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int t = WorkTensor.SignalLength(x, _config.InChannels, nameof(StreamingConvTranspose1d));
        if (t == 0)
            throw new ArgumentException("StreamingConvTranspose1d: the input is empty.", nameof(x));
        int n = t * _config.Stride;
        WorkTensor.RequireShape(y, _config.OutChannels, n, nameof(StreamingConvTranspose1d));

        ITensor input = x;
        if (_config.EluInput)
        {
            input = state.Activated = WorkTensor.Ensure(_backend, state.Activated, _config.InChannels, t);
            _backend.Unary(UnaryOp.Elu, x, input);
        }
        int p = _config.Overlap;
        if (p == 0)
        {
            _backend.ConvTranspose1d(input, _weights, y);
            return;
        }
        ITensor full = state.Full = WorkTensor.Ensure(_backend, state.Full, _config.OutChannels, n + p);
        ITensor head = state.Head!, partial = state.Partial!;
        _backend.ConvTranspose1d(input, _weights, full);
        _backend.CopySlice(full, 1, 0, head, 0, p);
        _backend.Binary(BinaryOp.Add, head, partial, head);
        _backend.CopySlice(head, 1, 0, full, 0, p);
        _backend.CopySlice(full, 1, 0, y, 0, n);
        _backend.CopySlice(full, 1, n, partial, 0, p);
        if (_negatedBias is not null)
            _backend.Binary(BinaryOp.Add, partial, _negatedBias, partial);
    }

    void IStreamingLayer.Forward(ITensor x, ITensor y, IStreamingState state) => Forward(x, y, (State)state);

    /// <inheritdoc/>
    public void Dispose()
    {
        _weights.Dispose();
        _negatedBias?.Dispose();
    }
}
