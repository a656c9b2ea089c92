using PocketTts.Config;
using PocketTts.Graphs;
using PocketTts.Model.Conditioning;
using PocketTts.Model.FlowLm;
using PocketTts.Model.Mimi;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>The stages of the engine's own model definition on one tensor backend. Disposing disposes them all.</summary>
internal sealed class TensorModelStages : IModelStages
{
    private TensorModelStages(TextConditionerStage text, FlowLmStage flowLm, MimiEncoderStage encoder, MimiDecoderStage decoder)
    {
        TextConditioner = text;
        FlowLm = flowLm;
        MimiEncoder = encoder;
        MimiDecoder = decoder;
    }

    /// <summary>Token ids → text embeddings.</summary>
    public TextConditionerStage TextConditioner { get; }

    /// <summary>The autoregressive flow language model.</summary>
    public FlowLmStage FlowLm { get; }

    /// <summary>Audio → latents.</summary>
    public MimiEncoderStage MimiEncoder { get; }

    /// <summary>Latents → audio.</summary>
    public MimiDecoderStage MimiDecoder { get; }

    ITextConditionerStage IModelStages.TextConditioner => TextConditioner;

    IFlowLmStage IModelStages.FlowLm => FlowLm;

    IMimiEncoderStage IModelStages.MimiEncoder => MimiEncoder;

    IMimiDecoderStage IModelStages.MimiDecoder => MimiDecoder;

    /// <summary>
    /// Builds every stage from the whole checkpoint (<c>flow_lm.*</c> and <c>mimi.*</c> keys), quantizing the FlowLM
    /// layers of <paramref name="quantize"/> to int8 at load.
    /// </summary>
    public static TensorModelStages Build(ITensorBackend backend, ModelConfig config, WeightScope root, QuantizationGroups quantize = QuantizationGroups.None)
    {
        var built = new List<IDisposable>();
        try
        {
            var text = Track(new TextConditionerStage(backend, config, root));
            var flowLm = Track(new FlowLmStage(backend, config, root, quantize));
            var encoder = Track(new MimiEncoderStage(backend, config, root));
            var decoder = Track(new MimiDecoderStage(backend, config, root));
            return new TensorModelStages(text, flowLm, encoder, decoder);
        }
        catch
        {
            foreach (IDisposable stage in built)
                stage.Dispose();
            throw;
        }

        T Track<T>(T stage) where T : IDisposable
        {
            built.Add(stage);
            return stage;
        }
    }

    /// <summary>
    /// Records every graph of <see cref="StageGraphNames"/> on the recorder the stages were built on, each stage
    /// running its own operations.
    /// </summary>
    /// <param name="quantized">Whether the stages were built with int8 FlowLM layers (recorded in the settings).</param>
    /// <exception cref="InvalidOperationException">The stages were built on a backend that computes.</exception>
    public StageGraphSettings RecordGraphs(bool quantized)
    {
        TextConditioner.RecordGraph();
        FlowLm.RecordGraphs();
        MimiEncoder.RecordGraphs();
        MimiDecoder.RecordGraph();
        return new StageGraphSettings(
            FlowLm.ModelDim, FlowLm.LatentDim, FlowLm.SpeakerDim, FlowLm.Layers, FlowLm.Heads, FlowLm.HeadDim, FlowLm.HasBosBeforeVoice,
            TextConditioner.TableRows, MimiDecoder.FrameSamples, MimiEncoderStage.ChunkFrames, quantized, FlowLm.HasDriftingHead);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        TextConditioner.Dispose();
        FlowLm.Dispose();
        MimiEncoder.Dispose();
        MimiDecoder.Dispose();
    }
}
