using PocketTts.Config;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// Audio → latents (reference: <c>MimiModel.encode_to_latent</c> in <c>pocket_tts/models/mimi.py</c>): zero padding
/// to whole frames, SEANet encoder, encoder transformer, replicate-padded downsampling. A clip is encoded in one
/// call on a fresh state, so the stage keeps no per-stream data and may encode on many threads at once.
/// </summary>
internal sealed class MimiEncoderStage : IMimiEncoderStage
{
    private readonly ITensorBackend _backend;
    private readonly MimiDimensions _dims;

    /// <summary>Builds the encoder from the whole checkpoint (<c>mimi.encoder.*</c>, <c>mimi.encoder_transformer.*</c>, <c>mimi.downsample.*</c>).</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent.</exception>
    /// <exception cref="InvalidDataException">A tensor is missing or mis-shaped.</exception>
    public MimiEncoderStage(ITensorBackend backend, ModelConfig config, WeightScope root)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        _backend = backend;
        _dims = MimiDimensions.From(config.Mimi);
        WeightScope mimi = root.Scope("mimi");
        int stride = _dims.StepsPerFrame;
        Encoder = new StreamingSequence(backend,
        [
            Seanet.BuildEncoder(backend, config.Mimi.Seanet, mimi.Scope("encoder")),
            new MimiTransformer(backend, config.Mimi.Transformer, mimi.Scope("encoder_transformer")),
            // ConvDownsample1d: kernel 2·stride, no bias, history filled with the first frame
            new StreamingConv1d(backend, new(_dims.Dimension, _dims.LatentDim, 2 * stride, stride, Bias: false, Pad: PadMode.Replicate),
                                mimi.Scope("downsample").Scope("conv")),
        ]);
    }

    /// <summary>SEANet encoder, encoder transformer, downsampling: audio [1, T] → latents [LatentDim, T / FrameSamples].</summary>
    internal StreamingSequence Encoder { get; }

    /// <inheritdoc/>
    public string BackendName => _backend.Name;

    /// <inheritdoc/>
    public int LatentDim => _dims.LatentDim;

    /// <inheritdoc/>
    public int FrameSamples => _dims.FrameSamples;

    /// <inheritdoc/>
    public int LatentFrames(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return (int)(((long)samples + FrameSamples - 1) / FrameSamples);
    }

    /// <inheritdoc/>
    public void Encode(ReadOnlySpan<float> audio, Span<float> latents)
    {
        if (audio.IsEmpty)
            throw new ArgumentException("The audio is empty: encoding needs at least one sample.", nameof(audio));
        int frames = LatentFrames(audio.Length);
        if (latents.Length != frames * LatentDim)
            throw new ArgumentException($"The latents destination holds {latents.Length} values; {audio.Length} samples give {frames} frames × {LatentDim} = {frames * LatentDim}.", nameof(latents));

        // pad_for_conv1d in encode_to_latent: zeros at the end, up to a whole number of frames
        int samples = frames * FrameSamples;
        var padded = new float[samples];
        audio.CopyTo(padded);
        using ITensor x = _backend.Constant(padded, new TensorShape(1, samples));
        using ITensor y = _backend.Allocate(new TensorShape(LatentDim, frames));
        using ITensor rows = _backend.Allocate(new TensorShape(frames, LatentDim));
        using (StreamingSequence.State state = Encoder.CreateState(samples))
            Encoder.Forward(x, y, state);
        _backend.Transpose(y, rows);
        _backend.Read(rows, latents);
    }

    /// <inheritdoc/>
    public void Dispose() => Encoder.Dispose();
}
