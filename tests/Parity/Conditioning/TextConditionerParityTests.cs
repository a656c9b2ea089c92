using PocketTts.Model.Conditioning;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Conditioning;

/// <summary>text_conditioner.safetensors (and the text prompt of flow_lm.safetensors): token ids → embedding rows, exactly.</summary>
public sealed class TextConditionerParityTests
{
    [Theory]
    [MemberData(nameof(Cases))]
    public void Embeddings_equal_the_reference_table_rows(string backendName, string fixtureFile, string tokens, string embeddings)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open(fixtureFile);
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new TextConditionerStage(backend, TinyModel.Config, new WeightScope(weights));
        int[] ids = fixture.Ints(tokens);
        var actual = new float[ids.Length * stage.EmbeddingDim];

        stage.Embed(ids, actual);

        actual.ShouldBe(fixture.Floats(embeddings));
    }

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (string backend in ParityBackends.AvailableTensorBackends)
        {
            foreach (string name in new[] { "case0", "case1", "edge" })
                data.Add(backend, "text_conditioner.safetensors", name + "/tokens", name + "/embeddings");
            data.Add(backend, "flow_lm.safetensors", "text_tokens", "text_embeddings");
        }
        return data;
    }
}
