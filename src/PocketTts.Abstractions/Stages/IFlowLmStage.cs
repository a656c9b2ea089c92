namespace PocketTts.Stages;

/// <summary>
/// FlowLM: a causal transformer with a KV cache, conditioned by prompt passes (voice, then text), followed by
/// one step per 80 ms frame that turns the previous latent into the next one through the flow net (LSD
/// decoding) and reports the end-of-speech logit.
/// </summary>
public interface IFlowLmStage : IModelStage
{
    /// <summary>Transformer width (also the width of prompt rows).</summary>
    int ModelDim { get; }

    /// <summary>Latent width (32).</summary>
    int LatentDim { get; }

    /// <summary>Transformer layers.</summary>
    int Layers { get; }

    /// <summary>Attention heads per layer.</summary>
    int Heads { get; }

    /// <summary>Features per head.</summary>
    int HeadDim { get; }

    /// <summary>True when the configuration prepends a learned BOS row to the voice prompt.</summary>
    bool HasBosBeforeVoice { get; }

    /// <summary>Creates an empty state whose caches hold <paramref name="capacity"/> positions.</summary>
    IFlowLmState CreateState(int capacity);

    /// <summary>
    /// Creates a state from a snapshot (a voice state), with caches extended to <paramref name="capacity"/>
    /// positions (at least the snapshot's offset).
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot does not match this model's layers, heads or head size.</exception>
    IFlowLmState CreateState(FlowLmSnapshot snapshot, int capacity);

    /// <summary>Copies the positions written so far into an immutable snapshot (what a voice state file holds).</summary>
    FlowLmSnapshot Snapshot(IFlowLmState state);

    /// <summary>
    /// Number of prompt rows that <see cref="ConditionVoice"/> produces for <paramref name="latentFrames"/> frames
    /// (one more when <see cref="HasBosBeforeVoice"/>).
    /// </summary>
    int VoicePromptRows(int latentFrames);

    /// <summary>
    /// Builds the voice prompt from Mimi encoder latents [frames, IMimiEncoderStage.LatentDim] (the encoder's width, which is not always
    /// LatentDim: english_2026-01 projects 512-wide encoder latents): the optional BOS-before-voice row, then
    /// latents·speaker_projᵀ; <paramref name="conditioning"/> is [VoicePromptRows(frames), ModelDim].
    /// </summary>
    void ConditionVoice(ReadOnlySpan<float> latents, Span<float> conditioning);

    /// <summary>
    /// A prompt pass: runs <paramref name="conditioning"/> [rows, ModelDim] through the transformer, appending
    /// to the caches, and advances the state's offset by rows. <paramref name="lastHidden"/> receives the
    /// out_norm output of the last row [ModelDim] when not empty.
    /// </summary>
    void Prompt(IFlowLmState state, ReadOnlySpan<float> conditioning, Span<float> lastHidden);

    /// <summary>
    /// One autoregressive step: feeds <paramref name="inputLatent"/> [LatentDim] (NaN entries mean BOS),
    /// advances the state by one, and decodes the next latent from <paramref name="noise"/> [LatentDim] with
    /// <paramref name="lsdSteps"/> LSD steps (a one-pass drifting head ignores them) into <paramref name="outputLatent"/>.
    /// <paramref name="hidden"/> receives the out_norm output [ModelDim] when not empty.
    /// </summary>
    /// <returns>The raw end-of-speech logit.</returns>
    float SampleNextLatent(IFlowLmState state, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden);
}

/// <summary>The per-stream state of <see cref="IFlowLmStage"/>: KV caches and the position offset.</summary>
public interface IFlowLmState : IStageState
{
    /// <summary>Positions written so far (the next write position and RoPE offset).</summary>
    int Offset { get; }

    /// <summary>Positions the caches can hold.</summary>
    int Capacity { get; }
}
