using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// SEANet residual block (reference: <c>SEANetResnetBlock</c> in <c>pocket_tts/modules/seanet.py</c>):
/// y = x + Conv1×1(ELU(Conv_k,dilated(ELU(x)))), the inner width dim / compress. In the checkpoint the block is
/// an <c>nn.ModuleList</c> [ELU, conv, ELU, conv], so the convolutions sit at <c>block.1</c> and <c>block.3</c>.
/// </summary>
internal sealed class SeanetResnetBlock : IStreamingLayer
{
    /// <summary>The per-stream state: both convolutions' histories and the inner activation.</summary>
    public sealed class State : IStreamingState
    {
        internal State(StreamingConv1d.State inner, StreamingConv1d.State outer, ITensor hidden)
        {
            Inner = inner;
            Outer = outer;
            Hidden = hidden;
        }

        internal StreamingConv1d.State Inner { get; }

        internal StreamingConv1d.State Outer { get; }

        /// <summary>Work: the inner convolution's output [dim / compress, T].</summary>
        internal ITensor Hidden { get; set; }

        /// <inheritdoc/>
        public void Reset()
        {
            Inner.Reset();
            Outer.Reset();
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            Inner.Dispose();
            Outer.Dispose();
            Hidden.Dispose();
        }
    }

    private readonly ITensorBackend _backend;
    private readonly StreamingConv1d _inner;    // block.1: dim → hidden, kernel k, dilation d
    private readonly StreamingConv1d _outer;    // block.3: hidden → dim, kernel 1

    /// <summary>Loads the block from its scope, e.g. <c>mimi.encoder.model.1</c>.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="dim">Channels in and out.</param>
    /// <param name="kernelSize">Kernel of the inner convolution.</param>
    /// <param name="dilation">Dilation of the inner convolution.</param>
    /// <param name="compress">Divisor of the inner width.</param>
    /// <param name="padMode">Padding of both convolutions.</param>
    /// <param name="weights">The block's scope.</param>
    public SeanetResnetBlock(ITensorBackend backend, int dim, int kernelSize, int dilation, int compress, PadMode padMode, WeightScope weights)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(weights);
        if (compress <= 0 || dim % compress != 0)
            throw new ArgumentException($"SEANet residual block: compress {compress} must divide the width {dim}.", nameof(compress));
        _backend = backend;
        int hidden = dim / compress;
        WeightScope block = weights.Scope("block");
        _inner = new StreamingConv1d(backend, new(dim, hidden, kernelSize, Dilation: dilation, Pad: padMode, EluInput: true), block.Scope("1"));
        _outer = new StreamingConv1d(backend, new(hidden, dim, 1, Pad: padMode, EluInput: true), block.Scope("3"));
    }

    /// <inheritdoc/>
    public int InChannels => _outer.OutChannels;

    /// <inheritdoc/>
    public int OutChannels => _outer.OutChannels;

    /// <inheritdoc/>
    public int OutputLength(int inputLength) => inputLength;

    /// <summary>A fresh state sized for calls of <paramref name="steps"/> steps.</summary>
    public State CreateState(int steps) =>
        new(_inner.CreateState(steps), _outer.CreateState(steps), _backend.Allocate(new TensorShape(_inner.OutChannels, steps)));

    IStreamingState IStreamingLayer.CreateState(int steps) => CreateState(steps);

    /// <summary>x [dim, T] → y [dim, T]; y must be another tensor than x.</summary>
    public void Forward(ITensor x, ITensor y, State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int t = WorkTensor.SignalLength(x, InChannels, nameof(SeanetResnetBlock));
        ITensor hidden = state.Hidden = WorkTensor.Ensure(_backend, state.Hidden, _inner.OutChannels, t);
        _inner.Forward(x, hidden, state.Inner);
        _outer.Forward(hidden, y, state.Outer);
        _backend.Binary(BinaryOp.Add, y, x, y);
    }

    void IStreamingLayer.Forward(ITensor x, ITensor y, IStreamingState state) => Forward(x, y, (State)state);

    /// <inheritdoc/>
    public void Dispose()
    {
        _inner.Dispose();
        _outer.Dispose();
    }
}
