namespace PocketTts.Backends.Onnx.Runtime;

// What each stage needs of its graphs: the graphs and the ports the stage binds on them. An adapter fills these in
// for one family of graphs (this project's exports: OnnxModelStages; a community bundle: CommunityModelStages), and
// the stages run any family that fits them.

/// <summary>The text conditioner: token ids [T] as int64 → embeddings [T, dim].</summary>
internal sealed record TextConditionerSignature(OnnxGraph Graph, Port Ids, Port Embeddings, int EmbeddingDim, int TableRows);

/// <summary>
/// FlowLM: the transformer graph (prompt rows or one latent in; out_norm and the EOS logit out; caches and positions
/// carried by the stream), the flow net, and how a voice's latents become prompt rows.
/// </summary>
/// <param name="Main">The transformer graph.</param>
/// <param name="Text">Prompt rows [N, dim] (empty on a step).</param>
/// <param name="Latents">Latent rows [S, latent] (one on a step, empty in a prompt; NaN = BOS).</param>
/// <param name="Hidden">out_norm of the rows.</param>
/// <param name="Eos">The EOS logits of the rows.</param>
/// <param name="HiddenOfEveryRow">
/// Whether <see cref="Hidden"/> and <see cref="Eos"/> hold every row of a prompt; otherwise they hold its first row
/// only (a community graph's), and a prompt whose last row is wanted sends that row alone.
/// </param>
/// <param name="Flow">The flow net.</param>
/// <param name="Condition">The flow net's condition (out_norm of the step).</param>
/// <param name="S">The flow net's s, or null for a drifting head (no times).</param>
/// <param name="T">The flow net's t, or null for a drifting head.</param>
/// <param name="X">The flow net's x.</param>
/// <param name="Direction">The flow net's output.</param>
/// <param name="Voice">The graph that makes prompt rows of voice latents, or null when they already are (see <see cref="BosBeforeVoice"/>).</param>
/// <param name="BosBeforeVoice">Without <see cref="Voice"/>: the learned row in front of a voice prompt, or null.</param>
/// <param name="SpeakerDim">The width of a voice latent.</param>
/// <param name="Caches">Where a stream keeps its attention caches.</param>
internal sealed record FlowLmSignature(
    OnnxGraph Main, Port Text, Port Latents, Port Hidden, Port Eos, bool HiddenOfEveryRow,
    OnnxGraph Flow, Port Condition, Port? S, Port? T, Port X, Port Direction,
    VoiceSignature? Voice, float[]? BosBeforeVoice, int SpeakerDim, IFlowLmCaches Caches);

/// <summary>The graph that projects voice latents [frames, speaker] to prompt rows [frames, dim], and returns the BOS-before-voice row when the model has one.</summary>
internal sealed record VoiceSignature(OnnxGraph Graph, Port Latents, Port Conditioning, Port? BosBeforeVoice);

/// <summary>
/// The Mimi encoder: audio [samples] → latents [frames, dim], in chunks of <see cref="ChunkFrames"/> frames through one
/// stream (<see cref="First"/> for the first chunk, <see cref="Next"/> after it), or the whole clip in one call.
/// </summary>
internal sealed record MimiEncoderSignature(OnnxGraph First, OnnxGraph Next, Port Audio, Port Latents, int LatentDim, int? ChunkFrames);

/// <summary>The streaming Mimi decoder: a latent [latent] → a frame of audio [samples], its state carried by the stream.</summary>
internal sealed record MimiDecoderSignature(OnnxGraph Graph, Port Latent, Port Audio);
