namespace PocketTts.Stages;

/// <summary>The four stages of one loaded model, as any backend builds them. Disposing disposes them all.</summary>
/// <param name="textConditioner">Token ids → text embeddings.</param>
/// <param name="flowLm">The autoregressive flow language model.</param>
/// <param name="mimiEncoder">Audio → latents.</param>
/// <param name="mimiDecoder">Latents → audio.</param>
public sealed class ModelStages(ITextConditionerStage textConditioner, IFlowLmStage flowLm, IMimiEncoderStage mimiEncoder, IMimiDecoderStage mimiDecoder) : IModelStages
{
    /// <inheritdoc/>
    public ITextConditionerStage TextConditioner { get; } = textConditioner ?? throw new ArgumentNullException(nameof(textConditioner));

    /// <inheritdoc/>
    public IFlowLmStage FlowLm { get; } = flowLm ?? throw new ArgumentNullException(nameof(flowLm));

    /// <inheritdoc/>
    public IMimiEncoderStage MimiEncoder { get; } = mimiEncoder ?? throw new ArgumentNullException(nameof(mimiEncoder));

    /// <inheritdoc/>
    public IMimiDecoderStage MimiDecoder { get; } = mimiDecoder ?? throw new ArgumentNullException(nameof(mimiDecoder));

    /// <inheritdoc/>
    public void Dispose()
    {
        TextConditioner.Dispose();
        FlowLm.Dispose();
        MimiEncoder.Dispose();
        MimiDecoder.Dispose();
    }
}
