using PocketTts.Model.Conditioning;
using PocketTts.Model.FlowLm;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

public sealed class FlowLmWeightsTests
{
    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_text_conditioner_and_FlowLM_stages_read_every_flow_lm_tensor(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        // emb_std and emb_mean live under flow_lm but de-normalise latents for the Mimi decoder, which reads them.
        WeightScope root = TinyModel.Subset(weights, name => name.StartsWith("flow_lm.", StringComparison.Ordinal)
            && name is not "flow_lm.emb_std" and not "flow_lm.emb_mean");

        using var text = new TextConditionerStage(backend, TinyModel.Config, root);
        using var flowLm = new FlowLmStage(backend, TinyModel.Config, root);

        Should.NotThrow(root.EnsureAllConsumed);
    }
}
