using System.Runtime.InteropServices;
using System.Text.Json;
using PocketTts.Backends.Managed;
using PocketTts.Config;
using PocketTts.Host.Bench;
using PocketTts.Model;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Bench;

public sealed class SyntheticWeightsTests
{
    private const string Linear = "flow_lm.transformer.layers.0.linear1.weight";

    [Fact]
    public void The_manifest_gives_the_full_size_model_and_values_are_made_only_when_read()
    {
        SyntheticWeights weights = SyntheticWeights.FromEmbeddedManifest("english", seed: 1);

        weights.Parameters.ShouldBeInRange(109_000_000, 110_000_000);
        weights.TryGet(Linear, out WeightTensor tensor).ShouldBeTrue();
        tensor.Shape.ShouldBe([4096, 1024]);
        tensor.Data.Length.ShouldBe(4096 * 1024 * 4);
        weights.GenerationTime.ShouldBe(TimeSpan.Zero);
        weights.TryGet("no.such.tensor", out _).ShouldBeFalse();
    }

    private static Dictionary<string, int[]> Shapes(SyntheticWeights weights) =>
        weights.Names.ToDictionary(n => n, n => weights.TryGet(n, out WeightTensor t) ? t.Shape : [], StringComparer.Ordinal);

    private static Dictionary<string, int[]> ManifestShapes(string manifest)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture($"manifests/{manifest}.json")));
        return doc.RootElement.GetProperty("tensors").EnumerateArray().ToDictionary(
            t => t.GetProperty("name").GetString()!, t => t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(), StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("english", "english")]
    [InlineData("english_2026-09", "english")]
    [InlineData("english_2026-09_24l", "french_24l")]
    public void A_configuration_gives_the_tensors_of_its_checkpoint(string language, string manifest)
    {
        Dictionary<string, int[]> expected = ManifestShapes(manifest);
        Dictionary<string, int[]> actual = Shapes(SyntheticWeights.FromConfig(ModelConfigLoader.LoadLanguage(language), seed: 1));

        actual.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, int[] shape) in expected)
            actual[name].ShouldBe(shape, name);
    }

    [Fact]
    public void A_drifting_head_has_no_time_embedders_and_the_model_consumes_every_tensor()
    {
        ModelConfig config = ModelConfigLoader.LoadLanguage("english_drifting_26_09");
        SyntheticWeights weights = SyntheticWeights.FromConfig(config, seed: 1);

        weights.Names.ShouldNotContain(n => n.Contains("time_embed", StringComparison.Ordinal));
        weights.Parameters.ShouldBe(109_502_146L - 789_760L, "the english checkpoint less its two time embedders");
        var root = new WeightScope(weights);
        using var backend = new ManagedBackendProvider().Create(new PocketTts.Backends.BackendOptions { Threads = 2 });
        using (TensorModelStages.Build((PocketTts.Tensors.ITensorBackend)backend, config, root))
            root.EnsureAllConsumed();
    }

    [Fact]
    public void Every_read_of_a_name_gives_the_same_values_with_variance_one_over_fan_in()
    {
        SyntheticWeights weights = SyntheticWeights.FromEmbeddedManifest("english", seed: 1);
        weights.TryGet(Linear, out WeightTensor first);
        weights.TryGet(Linear, out WeightTensor second);

        float[] a = MemoryMarshal.Cast<byte, float>(first.Data.Span).ToArray();
        float[] b = MemoryMarshal.Cast<byte, float>(second.Data.Span).ToArray();

        b.ShouldBe(a);
        weights.GenerationTime.ShouldBeGreaterThan(TimeSpan.Zero);
        double variance = a.Sum(v => (double)v * v) / a.Length;
        variance.ShouldBe(1.0 / 1024, 0.05 / 1024);
        Should.Throw<NotSupportedException>(() => first.Data.Pin());
    }
}
