using PocketTts.Config;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// One FlowLM latent → one frame of audio (reference: <c>TTSModel._decode_audio_worker</c> in
/// <c>pocket_tts/models/tts_model.py</c> and <c>MimiModel.decode_from_latent</c>): de-normalise with
/// <c>flow_lm.emb_std</c> and <c>flow_lm.emb_mean</c>, the quantizer's 1×1 projection, depthwise upsampling to the
/// SEANet rate, decoder transformer, SEANet decoder. All per-stream data lives in <see cref="MimiDecoderState"/>,
/// which preallocates every buffer: decoding a frame allocates nothing.
/// </summary>
internal sealed partial class MimiDecoderStage : IMimiDecoderStage
{
    private readonly ITensorBackend _backend;
    private readonly MimiDimensions _dims;
    private readonly ITensor _embStd;           // [QuantizerDim]
    private readonly ITensor _embMean;          // [QuantizerDim]
    private readonly IPackedConv _quantizer;    // output_proj: 1×1, QuantizerDim → OuterDim, no bias

    /// <summary>Builds the decoder from the whole checkpoint (<c>mimi.quantizer.*</c>, <c>mimi.upsample.*</c>, <c>mimi.decoder_transformer.*</c>, <c>mimi.decoder.*</c>, <c>flow_lm.emb_std</c>, <c>flow_lm.emb_mean</c>).</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public MimiDecoderStage(ITensorBackend backend, ModelConfig config, WeightScope root)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        _backend = backend;
        _dims = MimiDimensions.From(config.Mimi);
        WeightScope flowLm = root.Scope("flow_lm"), mimi = root.Scope("mimi");
        int latentDim = _dims.QuantizerDim, stride = _dims.StepsPerFrame;
        _embStd = backend.Constant(flowLm.GetFloats("emb_std", latentDim), new TensorShape(latentDim));
        _embMean = backend.Constant(flowLm.GetFloats("emb_mean", latentDim), new TensorShape(latentDim));
        _quantizer = backend.PackConv1d(new ConvGeometry(latentDim, _dims.OuterDim, 1),
                                        mimi.Scope("quantizer").GetFloats("output_proj.weight", _dims.OuterDim, latentDim, 1), ReadOnlyMemory<float>.Empty);
        Decoder = new StreamingSequence(backend,
        [
            // ConvTrUpsample1d: depthwise, kernel 2·stride, no bias
            new StreamingConvTranspose1d(backend, new(_dims.OuterDim, _dims.Dimension, 2 * stride, stride, Groups: _dims.Dimension, Bias: false),
                                         mimi.Scope("upsample").Scope("convtr")),
            new MimiTransformer(backend, config.Mimi.Transformer, mimi.Scope("decoder_transformer")),
            Seanet.BuildDecoder(backend, config.Mimi.Seanet, mimi.Scope("decoder")),
        ]);
    }

    /// <summary>Upsampling, decoder transformer, SEANet decoder: quantized latents [OuterDim, F] → audio [1, F·FrameSamples].</summary>
    internal StreamingSequence Decoder { get; }

    /// <inheritdoc/>
    public string BackendName => _backend.Name;

    /// <inheritdoc/>
    public int LatentDim => _dims.QuantizerDim;

    /// <inheritdoc/>
    public int FrameSamples => _dims.FrameSamples;

    /// <inheritdoc/>
    public IMimiDecoderState CreateState() => new MimiDecoderState(this, _backend, _dims);

    /// <inheritdoc/>
    public void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio)
    {
        MimiDecoderState s = StageArguments.Own<MimiDecoderState>(state, this, static own => own.Stage, "decoder");
        StageArguments.DecodeFrame(this, latent, audio);
        ObjectDisposedException.ThrowIf(s.IsDisposed, s);

        _backend.Write(latent, s.Latent);
        DecodeLatent(s);
        _backend.Read(s.Audio, audio);
        s.FramesDecoded++;
    }

    /// <summary>The frame's computation on the state's tensors: Latent [1, LatentDim] → Audio [1, FrameSamples].</summary>
    private void DecodeLatent(MimiDecoderState s)
    {
        _backend.Binary(BinaryOp.Multiply, s.Latent, _embStd, s.Latent);    // latent · emb_std + emb_mean
        _backend.Binary(BinaryOp.Add, s.Latent, _embMean, s.Latent);
        _backend.Transpose(s.Latent, s.LatentColumn);                        // [1, D] → conv layout [D, 1]
        _backend.Conv1d(s.LatentColumn, _quantizer, s.Quantized);
        Decoder.Forward(s.Quantized, s.Audio, s.Decoder);
    }

    /// <summary>
    /// Quantizer output [OuterDim, F] → audio [1, F·FrameSamples] on <paramref name="state"/> (for whole-sequence
    /// decoding, e.g. a fresh <see cref="StreamingSequence.CreateState"/> of F·StepsPerFrame steps).
    /// </summary>
    internal void DecodeQuantized(ITensor quantized, ITensor audio, StreamingSequence.State state) => Decoder.Forward(quantized, audio, state);

    /// <inheritdoc/>
    public void Dispose()
    {
        Decoder.Dispose();
        _quantizer.Dispose();
        _embStd.Dispose();
        _embMean.Dispose();
    }
}
