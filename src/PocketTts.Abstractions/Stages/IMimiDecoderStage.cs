namespace PocketTts.Stages;

/// <summary>
/// The streaming Mimi decoder: one FlowLM latent → <see cref="FrameSamples"/> samples of 24 kHz audio,
/// keeping per-layer streaming state between frames.
/// </summary>
public interface IMimiDecoderStage : IModelStage
{
    /// <summary>Latent width (32).</summary>
    int LatentDim { get; }

    /// <summary>Audio samples per latent frame (1920).</summary>
    int FrameSamples { get; }

    /// <summary>Creates a fresh decoder state (zero convolution history, empty attention cache).</summary>
    IMimiDecoderState CreateState();

    /// <summary>
    /// Decodes one FlowLM-space latent [LatentDim] (de-normalised inside with the model's emb_std/emb_mean)
    /// into <paramref name="audio"/> [FrameSamples], and advances the state by one frame.
    /// </summary>
    void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio);
}

/// <summary>The per-stream state of <see cref="IMimiDecoderStage"/>.</summary>
public interface IMimiDecoderState : IStageState
{
    /// <summary>Frames decoded so far.</summary>
    int FramesDecoded { get; }

    /// <summary>Returns the state to a fresh one, reusing its buffers.</summary>
    void Reset();
}
