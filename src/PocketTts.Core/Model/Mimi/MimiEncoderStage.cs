using PocketTts.Config;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model.Mimi;

/// <summary>
/// Audio → latents (reference: <c>MimiModel.encode_to_latent</c> in <c>pocket_tts/models/mimi.py</c>): zero padding
/// to whole frames, SEANet encoder, encoder transformer, replicate-padded downsampling. A clip is encoded on a
/// fresh streaming state, one chunk of frames after another, so the stage keeps no per-stream data and may encode
/// on many threads at once.
/// </summary>
internal sealed partial class MimiEncoderStage : IMimiEncoderStage
{
    /// <summary>Latent frames encoded per call (320 ms of audio, ~10 MB of activations): bounds what a call keeps alive.</summary>
    internal const int ChunkFrames = 4;

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
        int frames = StageArguments.Encode(this, audio, latents);

        // The clip runs through one streaming state, ChunkFrames frames per call: a call keeps every SEANet
        // activation of its samples alive (about 1.3 kB per sample), so whole-clip calls would grow with the clip.
        // Streaming layers give the same latents chunk by chunk as in one call. pad_for_conv1d in
        // encode_to_latent: the clip ends with zeros, up to a whole number of frames. Every call has the same
        // length: the last chunk is padded with zeros to a whole chunk and its extra latents are dropped (every
        // layer is causal, so they change none of the others); a shorter call would reallocate every buffer of
        // the state (~25 MB of garbage per clip for the full-size model).
        int chunkFrames = Math.Min(frames, ChunkFrames);
        var samples = new float[chunkFrames * FrameSamples];
        var chunkLatents = new float[chunkFrames * LatentDim];
        using StreamingSequence.State state = Encoder.CreateState(samples.Length);
        using ITensor x = _backend.Allocate(new TensorShape(1, samples.Length));
        using ITensor y = _backend.Allocate(new TensorShape(LatentDim, chunkFrames));
        using ITensor transposed = _backend.Allocate(new TensorShape(chunkFrames, LatentDim));
        for (int first = 0; first < frames; first += chunkFrames)
        {
            int count = Math.Min(chunkFrames, frames - first);
            ReadOnlySpan<float> chunk = audio[(first * FrameSamples)..Math.Min(audio.Length, (first + count) * FrameSamples)];
            chunk.CopyTo(samples);
            samples.AsSpan(chunk.Length).Clear();
            _backend.Write(samples, x);
            Encoder.Forward(x, y, state);
            _backend.Transpose(y, transposed);
            _backend.Read(transposed, chunkLatents);
            chunkLatents.AsSpan(0, count * LatentDim).CopyTo(latents.Slice(first * LatentDim, count * LatentDim));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Encoder.Dispose();
}
