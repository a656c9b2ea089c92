using PocketTts.Model.Conditioning;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Conditioning;

/// <summary>The text conditioner's contract on every backend: table shape and bad input.</summary>
public sealed class TextConditionerStageTests
{
    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_table_has_a_padding_row_after_the_vocabulary_and_it_can_be_looked_up(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new TextConditionerStage(backend, TinyModel.Config, new WeightScope(weights));
        var row = new float[stage.EmbeddingDim];

        stage.Embed([4000], row);

        stage.TableRows.ShouldBe(4001);
        stage.EmbeddingDim.ShouldBe(128);
        row.ShouldBe(weights.Floats("flow_lm.conditioner.embed.weight")[(4000 * 128)..]);
        Should.NotThrow(() => stage.Embed([], []));
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void Ids_outside_the_table_and_wrong_destinations_are_rejected(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new TextConditionerStage(backend, TinyModel.Config, new WeightScope(weights));

        Should.Throw<ArgumentOutOfRangeException>(() => stage.Embed([1, 4001], new float[256])).Message
            .ShouldStartWith("Token id 4001 is outside the table of 4001 rows (0 … 4000).");
        Should.Throw<ArgumentOutOfRangeException>(() => stage.Embed([-1], new float[128])).Message
            .ShouldStartWith("Token id -1 is outside the table of 4001 rows (0 … 4000).");
        Should.Throw<ArgumentException>(() => stage.Embed([1, 2], new float[128])).Message
            .ShouldStartWith("2 ids need 256 values ([ids, 128]); the destination holds 128.");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_table_narrower_than_the_transformer_is_a_configuration_error(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        var config = TinyModel.Config with
        {
            FlowLm = TinyModel.Config.FlowLm with { LookupTable = TinyModel.Config.FlowLm.LookupTable with { Dim = 64 } },
        };

        Should.Throw<ArgumentException>(() => new TextConditionerStage(backend, config, new WeightScope(weights))).Message
            .ShouldBe("flow_lm.lookup_table.dim (64) must equal flow_lm.transformer.d_model (128): text embeddings enter the transformer without a projection.");
    }
}
