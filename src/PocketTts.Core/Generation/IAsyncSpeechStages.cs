namespace PocketTts.Generation;

/// <summary>
/// The model's stages as an engine that must be awaited runs them: onnxruntime-web in a browser, where a graph runs
/// asynchronously on the page's one thread, or a remote accelerator. <see cref="AsyncSpeechGenerator"/> drives them
/// one call at a time and keeps for itself what makes a seed give the same samples as every other engine: the plan,
/// the flow noise, the end of speech and the placing of frames. One instance serves one generation, bound to its
/// voice; it is disposed when the generation ends.
/// </summary>
public interface IAsyncSpeechStages : IAsyncDisposable
{
    /// <summary>Features of a latent.</summary>
    int LatentDim { get; }

    /// <summary>Samples of a decoded frame.</summary>
    int FrameSamples { get; }

    /// <summary>
    /// Starts a text chunk: a fresh copy of the voice's FlowLM state, prompted with <paramref name="tokenIds"/>. The
    /// previous chunk's state, if any, is dropped.
    /// </summary>
    ValueTask StartChunkAsync(int[] tokenIds, CancellationToken cancellationToken);

    /// <summary>
    /// One FlowLM step of the current chunk from <paramref name="input"/> (all NaN for the first step: BOS) and the
    /// flow noise, with <paramref name="lsdSteps"/> flow steps; writes the next latent and returns the end-of-speech logit.
    /// </summary>
    ValueTask<float> StepAsync(ReadOnlyMemory<float> input, ReadOnlyMemory<float> noise, int lsdSteps, Memory<float> latent, CancellationToken cancellationToken);

    /// <summary>Back to a fresh Mimi decoder state (each text chunk is decoded from one).</summary>
    ValueTask ResetDecoderAsync(CancellationToken cancellationToken);

    /// <summary>Decodes one latent into one frame of <see cref="FrameSamples"/> samples.</summary>
    ValueTask DecodeAsync(ReadOnlyMemory<float> latent, Memory<float> samples, CancellationToken cancellationToken);
}
