using System.Text.Json;
using PocketTts.Stages;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Voices;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Weights;

/// <summary>
/// The layout of the real checkpoints (fixture manifests: every tensor of the published model.safetensors, its
/// shape, dtype and kind) held as an in-memory weight source of zeros, checked against the totals the manifests and
/// the fixture README state, read back strictly through a <see cref="WeightScope"/>.
/// </summary>
public class ManifestTests
{
    private sealed record Manifest(InMemoryWeights Weights, JsonElement Root, long Parameters, long Elements);

    private static Manifest Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture($"manifests/{name}.json")));
        JsonElement root = doc.RootElement.Clone();
        var weights = new InMemoryWeights();
        // Every tensor views one buffer of zeros as large as the largest (a real checkpoint would take 0.4 to 1.3 GB).
        var zeros = new byte[root.GetProperty("tensors").EnumerateArray().Max(t => 4 * t.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt32()))];
        long parameters = 0, elements = 0;
        foreach (JsonElement t in root.GetProperty("tensors").EnumerateArray())
        {
            string tensorName = t.GetProperty("name").GetString()!;
            int[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            TensorDTypes.TryParse(t.GetProperty("dtype").GetString(), out TensorDType dtype).ShouldBeTrue(tensorName);
            long bytes = dtype.ByteCount(shape);
            weights.Names.ShouldNotContain(tensorName);
            weights.Add(tensorName, dtype, zeros.AsMemory(0, checked((int)bytes)), shape);
            long count = bytes / dtype.ElementSize();
            elements += count;
            if (t.GetProperty("kind").GetString() == "parameter")
                parameters += count;
        }
        return new Manifest(weights, root, parameters, elements);
    }

    [Theory]
    [InlineData("english", 214, 109_501_826L, 438_008_584L, 6)]
    [InlineData("english_2026-01", 213, 117_856_642L, 471_427_848L, 6)]
    [InlineData("french_24l", 358, 336_067_970L, 1_344_273_160L, 24)]
    public void The_manifest_tensors_add_up_to_the_stated_totals(string name, int tensors, long parameters, long float32Bytes, int layers)
    {
        Manifest m = Load(name);
        m.Weights.Count.ShouldBe(tensors);
        m.Root.GetProperty("num_tensors").GetInt32().ShouldBe(tensors);
        m.Parameters.ShouldBe(parameters);
        m.Root.GetProperty("total_parameters").GetInt64().ShouldBe(parameters);
        m.Elements.ShouldBe(m.Root.GetProperty("total_elements").GetInt64());
        (4 * m.Elements).ShouldBe(float32Bytes);
        m.Root.GetProperty("total_bytes_float32").GetInt64().ShouldBe(float32Bytes);
        CheckpointMapping.Detect(m.Weights).ShouldBe(CheckpointLayout.Model);
        m.Weights.Names.Count(n => n.StartsWith("flow_lm.transformer.layers.", StringComparison.Ordinal) && n.EndsWith(".linear1.weight", StringComparison.Ordinal)).ShouldBe(layers);
        // The reference's quantize=True converts exactly four matrices per FlowLM layer.
        m.Weights.Names.Count(n => QuantizationGroups.Recommended.Selects(n)).ShouldBe(4 * layers);
    }

    [Fact]
    public void The_english_checkpoint_has_the_documented_shapes_and_reads_back_strictly()
    {
        Manifest m = Load("english");
        var root = new WeightScope(m.Weights);
        WeightScope flowLm = root.Scope("flow_lm"), layer0 = flowLm.Scope("transformer").Scope("layers", 0);
        flowLm.Get("conditioner.embed.weight", 4001, 1024);
        flowLm.Get("speaker_proj_weight", 1024, 32);
        flowLm.Get("bos_before_voice", 1, 1, 1024);
        flowLm.Get("bos_emb", 32);
        layer0.Get("self_attn.in_proj.weight", 3 * 1024, 1024);
        layer0.Get("self_attn.out_proj.weight", 1024, 1024);
        layer0.Get("linear1.weight", 4 * 1024, 1024);
        layer0.Get("linear2.weight", 1024, 4 * 1024);
        root.Scope("mimi").Get("quantizer.output_proj.weight", 512, 32, 1);
        root.Scope("mimi").Get("upsample.convtr.convtr.weight", 512, 1, 32);
        root.Scope("mimi").Get("downsample.conv.conv.weight", 32, 512, 32);
        Should.Throw<InvalidDataException>(root.EnsureAllConsumed).Message.ShouldStartWith("Unexpected tensor(s) in the weights: ");

        foreach (JsonElement t in m.Root.GetProperty("tensors").EnumerateArray())
        {
            string name = t.GetProperty("name").GetString()!;
            int dot = name.LastIndexOf('.');
            root.Scope(name[..dot]).Get(name[(dot + 1)..], [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())]);
        }
        root.EnsureAllConsumed();
    }

    [Theory]
    [InlineData("english", 6)]
    [InlineData("french_24l", 24)]
    public void A_voice_state_has_the_flow_lm_state_layout_of_the_manifest(string name, int layers)
    {
        Manifest m = Load(name);
        const int positions = 10, heads = 16, headDim = 64;   // the manifests' layouts are for a sequence length of 10
        float[][] zeros = [.. Enumerable.Range(0, layers).Select(_ => new float[positions * heads * headDim])];
        using var file = SafeTensorsFile.FromBytes(VoiceStateFile.ToBytes(new FlowLmSnapshot(positions, heads, headDim, zeros, zeros)));

        // The manifests list the reference's state per attention layer: offset, pad and cache.
        var expected = new List<(string Name, string DType, int[] Shape)>();
        foreach (JsonProperty module in m.Root.GetProperty("flow_lm_state_layout_for_sequence_length_10").EnumerateObject())
        {
            foreach (JsonProperty state in module.Value.EnumerateObject())
                expected.Add(($"{module.Name}/{state.Name}", state.Value.GetProperty("dtype").GetString()!, [.. state.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())]));
        }
        expected.Count.ShouldBe(3 * layers);
        file.Names.Order(StringComparer.Ordinal).ShouldBe(expected.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var (tensor, dtype, shape) in expected)
        {
            file[tensor].DType.SafeTensorsName().ShouldBe(dtype, tensor);
            file[tensor].Shape.ShouldBe(shape, tensor);
        }
    }
}
