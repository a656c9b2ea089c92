using System.Text.Json;
using PocketTts.Config;
using PocketTts.Model;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Weights;

/// <summary>
/// The model definition asks for exactly the tensors of the real Hugging Face checkpoints (the manifests list
/// every name and shape): building the full-size model from a weight source with those tensors (zeros) must
/// consume every one of them, and a missing, unexpected or mis-shaped tensor must be an error naming it.
/// </summary>
public class ManifestLayoutTests
{
    private static (InMemoryWeights Weights, long Parameters) FromManifest(string manifest)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture.PathOf($"manifests/{manifest}.json")));
        var weights = new InMemoryWeights();
        var zeros = new byte[16 * 1024 * 1024 * 4];   // every tensor views the same zeros: no 400 MB per test
        long parameters = 0;
        foreach (JsonElement t in doc.RootElement.GetProperty("tensors").EnumerateArray())
        {
            int[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            long count = shape.Aggregate(1L, (n, d) => n * d);
            t.GetProperty("dtype").GetString().ShouldBe("F32");
            string name = t.GetProperty("name").GetString()!;
            weights.Add(name, new WeightTensor(name, TensorDType.F32, shape, zeros.AsMemory(0, checked((int)(4 * count)))));
            if (t.GetProperty("kind").GetString() == "parameter")
                parameters += count;
        }
        doc.RootElement.GetProperty("num_tensors").GetInt32().ShouldBe(weights.Names.Count);
        return (weights, parameters);
    }

    [Theory]
    [InlineData("english", "english", 109_501_826L)]
    [InlineData("english_2026-01", "english_2026-01", 117_856_642L)]
    public void The_full_size_model_consumes_exactly_the_tensors_of_the_real_checkpoint(string manifest, string language, long parameters)
    {
        var (weights, counted) = FromManifest(manifest);
        counted.ShouldBe(parameters);
        var root = new WeightScope(weights);
        using var backend = ParityBackends.CreateTensorBackend("managed", threads: 2);
        using (TensorModelStages.Build(backend, ModelConfigLoader.LoadLanguage(language), root))
            root.EnsureAllConsumed();
    }

    [Fact]
    public void The_24_layer_configuration_names_the_tensors_of_its_manifest()
    {
        // Building 336M parameters would take a minute; the names and shapes are checked through the FlowLM
        // transformer's layer count and the manifest's own totals instead.
        var (weights, counted) = FromManifest("french_24l");
        counted.ShouldBe(336_067_970L);
        ModelConfig config = ModelConfigLoader.LoadLanguage("french_24l");
        int layers = weights.Names.Count(n => n.StartsWith("flow_lm.transformer.layers.", StringComparison.Ordinal) && n.EndsWith(".linear1.weight", StringComparison.Ordinal));
        layers.ShouldBe(config.FlowLm.Transformer.NumLayers);
    }

    [Fact]
    public void A_missing_an_unexpected_and_a_misshaped_tensor_are_named()
    {
        ModelConfig config = ModelConfigLoader.LoadLanguage("english");
        using var backend = ParityBackends.CreateTensorBackend("managed", threads: 2);

        var (missing, _) = FromManifest("english");
        var incomplete = new InMemoryWeights();
        foreach (string name in missing.Names.Where(n => n != "flow_lm.out_eos.bias"))
        {
            missing.TryGet(name, out var t);
            incomplete.Add(name, t);
        }
        Should.Throw<InvalidDataException>(() => TensorModelStages.Build(backend, config, new WeightScope(incomplete)).Dispose())
            .Message.ShouldContain("Missing tensor 'flow_lm.out_eos.bias'");

        var (extra, _) = FromManifest("english");
        extra.Add("flow_lm.unexpected", new float[3], 3);
        var root = new WeightScope(extra);
        using (TensorModelStages.Build(backend, config, root))
            Should.Throw<InvalidDataException>(root.EnsureAllConsumed).Message.ShouldContain("flow_lm.unexpected");

        var (misshaped, _) = FromManifest("english");
        misshaped.Add("flow_lm.bos_emb", new float[64], 64);
        Should.Throw<InvalidDataException>(() => TensorModelStages.Build(backend, config, new WeightScope(misshaped)).Dispose())
            .Message.ShouldContain("Tensor 'flow_lm.bos_emb' has shape [64], expected [32]");
    }
}
