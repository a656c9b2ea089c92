namespace PocketTts.Stages;

/// <summary>The four stages of one loaded model, built by one backend. Disposing disposes them all.</summary>
public interface IModelStages : IDisposable
{
    /// <summary>Token ids → text embeddings.</summary>
    ITextConditionerStage TextConditioner { get; }

    /// <summary>The autoregressive flow language model.</summary>
    IFlowLmStage FlowLm { get; }

    /// <summary>Audio → latents (voice cloning).</summary>
    IMimiEncoderStage MimiEncoder { get; }

    /// <summary>Latents → audio, frame by frame.</summary>
    IMimiDecoderStage MimiDecoder { get; }
}
