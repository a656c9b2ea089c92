using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

public class CheckpointMappingTests
{
    [Fact]
    public void A_raw_mimi_checkpoint_with_weight_norm_maps_onto_the_reference_loader_result()
    {
        using var raw = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/raw_mimi_weightnorm.safetensors"));
        using var expected = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/raw_mimi_weightnorm_expected.safetensors"));
        var mapped = CheckpointMapping.MapMimi(raw).ToDictionary(p => p.Name, p => p.Tensor);

        mapped.Keys.Order().ShouldBe(expected.Names.Order());
        foreach (string name in expected.Names)
        {
            float[] e = WeightConversion.ToFloat32(expected[name]);
            float[] a = WeightConversion.ToFloat32(mapped[name]);
            mapped[name].Shape.ShouldBe(expected[name].Shape, name);
            for (int i = 0; i < e.Length; i++)
                MathF.Abs(a[i] - e[i]).ShouldBeLessThanOrEqualTo(1.2e-7f + 1e-6f * MathF.Abs(e[i]), name);
        }
    }

    [Fact]
    public void Raw_checkpoints_together_give_exactly_the_published_layout()
    {
        using var flow = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/raw_flow_lm.safetensors"));
        using var mimi = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/raw_mimi_weightnorm.safetensors"));
        using var model = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        InMemoryWeights mapped = CheckpointMapping.FromRawCheckpoints(flow, mimi);

        mapped.Names.Order().ShouldBe(model.Names.Order());
        foreach (string name in model.Names.Where(n => n.StartsWith("flow_lm.", StringComparison.Ordinal)))
        {
            mapped.TryGet(name, out var t).ShouldBeTrue(name);
            t.Data.ToArray().ShouldBe(model[name].Data.ToArray(), name);
        }
    }

    [Fact]
    public void A_published_file_passes_and_anything_else_is_explained()
    {
        using var model = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/model.safetensors"));
        CheckpointMapping.ToModelLayout(model).ShouldBeSameAs(model);
        using var raw = SafeTensorsFile.Open(RepoPaths.Fixture("tiny/raw_flow_lm.safetensors"));
        Should.Throw<InvalidDataException>(() => CheckpointMapping.ToModelLayout(raw)).Message.ShouldContain("not in the Pocket TTS layout");
    }

    [Fact]
    public void A_weight_g_without_its_weight_v_is_reported()
    {
        var raw = new InMemoryWeights();
        raw.Add("decoder.model.0.conv.conv.weight_g", new float[2], 2, 1, 1);
        Should.Throw<InvalidDataException>(() => CheckpointMapping.MapMimi(raw).ToList()).Message.ShouldContain("has no 'decoder.model.0.conv.conv.weight_v'");
    }
}
