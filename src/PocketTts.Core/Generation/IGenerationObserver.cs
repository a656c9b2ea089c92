namespace PocketTts.Generation;

/// <summary>
/// Watches a generation's stages as they run, for profiling and benchmarks (<see cref="GenerationOptions.Observer"/>):
/// told how long each text prompt, FlowLM step and Mimi frame took, measured around the stage call alone (the wait
/// between stages, the noise draw and the hand-over between threads are left out).
/// </summary>
/// <remarks>
/// The FlowLM calls (<see cref="TextPrompted"/>, <see cref="LatentSampled"/>) come from one thread and the Mimi calls
/// (<see cref="FrameDecoded"/>) from another when the stages overlap (<see cref="GenerationOptions.OverlapStages"/>):
/// an implementation that shares data between them must synchronise. They run on the per-frame path, so they should
/// return quickly and allocate nothing.
/// </remarks>
public interface IGenerationObserver
{
    /// <summary>A chunk's text was embedded and prompted into FlowLM.</summary>
    /// <param name="tokens">Tokens of the chunk.</param>
    /// <param name="elapsed">Time of the text conditioner and the prompt pass.</param>
    void TextPrompted(int tokens, TimeSpan elapsed);

    /// <summary>FlowLM made one latent: the transformer step, the end-of-speech head and the flow decoding.</summary>
    void LatentSampled(TimeSpan elapsed);

    /// <summary>Mimi decoded one latent into a frame of audio (1920 samples at 24 kHz).</summary>
    void FrameDecoded(TimeSpan elapsed);
}
