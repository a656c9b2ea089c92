using PocketTts.Stages;
using PocketTts.Tensors;

namespace PocketTts.Model.Mimi;

/// <summary>
/// The per-stream state of <see cref="MimiDecoderStage"/> (reference: <c>init_states(mimi, 1, …)</c>): every
/// layer's streaming state and every buffer one frame needs, sized once for one frame.
/// </summary>
internal sealed class MimiDecoderState : IMimiDecoderState
{
    internal MimiDecoderState(MimiDecoderStage stage, ITensorBackend backend, MimiDimensions dims)
    {
        Stage = stage;
        Latent = backend.Allocate(new TensorShape(1, dims.QuantizerDim));
        LatentColumn = backend.Allocate(new TensorShape(dims.QuantizerDim, 1));
        Quantized = backend.Allocate(new TensorShape(dims.OuterDim, 1));
        Audio = backend.Allocate(new TensorShape(1, dims.FrameSamples));
        Decoder = stage.Decoder.CreateState(1);
    }

    /// <summary>The stage that created this state.</summary>
    internal MimiDecoderStage Stage { get; }

    /// <summary>The de-normalised latent [1, QuantizerDim].</summary>
    internal ITensor Latent { get; }

    /// <summary>The same in conv layout [QuantizerDim, 1].</summary>
    internal ITensor LatentColumn { get; }

    /// <summary>The quantizer projection's output [OuterDim, 1].</summary>
    internal ITensor Quantized { get; }

    /// <summary>The frame's audio [1, FrameSamples].</summary>
    internal ITensor Audio { get; }

    /// <summary>Upsampling, transformer and SEANet states, with their activations for one frame.</summary>
    internal StreamingSequence.State Decoder { get; }

    /// <summary>True once disposed.</summary>
    internal bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    public int FramesDecoded { get; internal set; }

    /// <inheritdoc/>
    public void Reset()
    {
        Decoder.Reset();
        FramesDecoded = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (IsDisposed)
            return;
        IsDisposed = true;
        Decoder.Dispose();
        Latent.Dispose();
        LatentColumn.Dispose();
        Quantized.Dispose();
        Audio.Dispose();
    }
}
