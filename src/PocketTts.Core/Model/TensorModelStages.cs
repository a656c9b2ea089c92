using PocketTts.Config;
using PocketTts.Model.Conditioning;
using PocketTts.Model.FlowLm;
using PocketTts.Model.Mimi;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>The stages of the engine's own model definition, running on one tensor backend.</summary>
internal sealed class TensorModelStages : IModelStages
{
    private TensorModelStages(ITextConditionerStage text, IFlowLmStage flowLm, IMimiEncoderStage encoder, IMimiDecoderStage decoder)
    {
        TextConditioner = text;
        FlowLm = flowLm;
        MimiEncoder = encoder;
        MimiDecoder = decoder;
    }

    public ITextConditionerStage TextConditioner { get; }

    public IFlowLmStage FlowLm { get; }

    public IMimiEncoderStage MimiEncoder { get; }

    public IMimiDecoderStage MimiDecoder { get; }

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

    public void Dispose()
    {
        TextConditioner.Dispose();
        FlowLm.Dispose();
        MimiEncoder.Dispose();
        MimiDecoder.Dispose();
    }
}
