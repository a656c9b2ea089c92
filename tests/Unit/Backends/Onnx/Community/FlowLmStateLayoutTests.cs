using System.Text.Json.Nodes;
using PocketTts.Backends.Onnx.Community;

namespace PocketTts.Tests.Unit.Backends.Onnx.Community;

public sealed class FlowLmStateLayoutTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flow-layout-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private StateEntry[] States(JsonObject json)
    {
        File.WriteAllText(Path.Combine(_folder, "bundle.json"), json.ToJsonString());
        return CommunityBundle.Load(_folder).FlowLmStates;
    }

    [Fact]
    public void Maps_the_string_sorted_manifest_back_to_layer_order()
    {
        StateEntry[] states = States(CommunityBundleTests.Bundle(layers: 12));
        FlowLmStateLayout layout = FlowLmStateLayout.From(states, "bundle.json");
        layout.Layers.ShouldBe(12);
        layout.Capacity.ShouldBe(1000);
        layout.Heads.ShouldBe(16);
        layout.HeadDim.ShouldBe(64);
        for (int layer = 0; layer < 12; layer++)
            states[layout.Caches[layer]].Module.ShouldBe($"transformer.layers.{layer}.self_attn");
        // Manifest order is 0, 1, 10, 11, 2, …: layer 2's cache is the fifth module's, at index 12.
        layout.Caches[2].ShouldBe(12);
        layout.Caches[10].ShouldBe(6);
        layout.Positions.Select(i => states[i].Key).ShouldAllBe(k => k == "step");
        layout.Positions.Count.ShouldBe(12);
    }

    [Theory]
    [InlineData("transformer.layers.12.self_attn", 12)]
    [InlineData("layers.0", 0)]
    [InlineData("backbone.layers.x.layers.3.attn", 3)]
    [InlineData("transformer.self_attn", null)]
    public void Finds_the_layer_number_in_a_module_path(string module, int? layer) => FlowLmStateLayout.LayerIndex(module).ShouldBe(layer);

    [Fact]
    public void Refuses_a_state_it_could_not_restore_from_a_snapshot()
    {
        JsonObject json = CommunityBundleTests.Bundle(layers: 2);
        json["flow_lm_state_manifest"]![1]!["key"] = "partial";
        json["flow_lm_state_manifest"]![1]!["shape"] = new JsonArray(3);
        json["flow_lm_state_manifest"]![1]!["fill"] = "zeros";
        Should.Throw<InvalidDataException>(() => FlowLmStateLayout.From(States(json), "b.json"))
            .Message.ShouldContain("b.json: flow_lm_state_manifest[1] (transformer.layers.0.self_attn/partial) is a state this runtime does not know how to restore");
    }

    [Fact]
    public void Refuses_caches_of_the_wrong_rank_or_sizes_and_missing_layers()
    {
        JsonObject json = CommunityBundleTests.Bundle(layers: 2);
        json["flow_lm_state_manifest"]![3]!["shape"] = new JsonArray(2, 1, 500, 16, 64);
        Should.Throw<InvalidDataException>(() => FlowLmStateLayout.From(States(json), "b.json"))
            .Message.ShouldContain("is [2, 1, 500, 16, 64] but an earlier cache is [2, 1, 1000, 16, 64]");

        json = CommunityBundleTests.Bundle(layers: 2);
        json["flow_lm_state_manifest"]![0]!["shape"] = new JsonArray(1, 1000, 16, 64);
        Should.Throw<InvalidDataException>(() => FlowLmStateLayout.From(States(json), "b.json"))
            .Message.ShouldContain("a KV cache is float32 [2, 1, positions, heads, headDim]");

        json = CommunityBundleTests.Bundle(layers: 3);
        json["flow_lm_state_manifest"]![0]!["module"] = "transformer.layers.5.self_attn";
        Should.Throw<InvalidDataException>(() => FlowLmStateLayout.From(States(json), "b.json"))
            .Message.ShouldContain("caches for layers 1, 2, 5, not 0 … 2");

        json = CommunityBundleTests.Bundle(layers: 1);
        json["flow_lm_state_manifest"]![2]!["shape"] = new JsonArray(2);
        Should.Throw<InvalidDataException>(() => FlowLmStateLayout.From(States(json), "b.json"))
            .Message.ShouldContain("a position counter is one int64");
    }
}
