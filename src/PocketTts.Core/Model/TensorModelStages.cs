using PocketTts.Config;
using PocketTts.Model.Conditioning;
using PocketTts.Model.FlowLm;
using PocketTts.Model.Mimi;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Model;

/// <summary>Builds the stages of the engine's own model definition on one tensor backend.</summary>
internal static class TensorModelStages
{
    /// <summary>
    /// Builds every stage from the whole checkpoint (<c>flow_lm.*</c> and <c>mimi.*</c> keys), quantizing the FlowLM
    /// layers of <paramref name="quantize"/> to int8 at load.
    /// </summary>
    public static ModelStages Build(ITensorBackend backend, ModelConfig config, WeightScope root, QuantizationGroups quantize = QuantizationGroups.None)
    {
        var built = new List<IDisposable>();
        try
        {
            var text = Track(new TextConditionerStage(backend, config, root));
            var flowLm = Track(new FlowLmStage(backend, config, root, quantize));
            var encoder = Track(new MimiEncoderStage(backend, config, root));
            var decoder = Track(new MimiDecoderStage(backend, config, root));
            return new ModelStages(text, flowLm, encoder, decoder);
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
}
