namespace PocketTts.Graphs;

/// <summary>The sizes a runtime of the stage graphs needs, taken from the model they were recorded from.</summary>
/// <param name="ModelDim">FlowLM width.</param>
/// <param name="LatentDim">FlowLM latent width (32).</param>
/// <param name="SpeakerDim">Width of the Mimi encoder's latents (the voice prompt's input).</param>
/// <param name="Layers">FlowLM transformer layers.</param>
/// <param name="Heads">FlowLM heads.</param>
/// <param name="HeadDim">FlowLM features per head.</param>
/// <param name="HasBosBeforeVoice">Whether a learned row precedes the voice prompt.</param>
/// <param name="TableRows">Rows of the text embedding table.</param>
/// <param name="FrameSamples">Audio samples per latent frame.</param>
/// <param name="EncoderChunkFrames">Latent frames of one call of the encoder graphs (the last chunk is zero-padded).</param>
/// <param name="Quantized">Whether the FlowLM linear layers run in int8.</param>
/// <param name="DriftingHead">
/// Whether the flow net is a drifting head: one call without s and t whose output is the latent, instead of an LSD
/// velocity integrated by the runtime.
/// </param>
public sealed record StageGraphSettings(
    int ModelDim, int LatentDim, int SpeakerDim, int Layers, int Heads, int HeadDim, bool HasBosBeforeVoice,
    int TableRows, int FrameSamples, int EncoderChunkFrames, bool Quantized, bool DriftingHead);
