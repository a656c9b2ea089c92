using System.Runtime.InteropServices;
using PocketTts.Host.Bench;
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
