using System.Text.Json.Nodes;
using PocketTts.Backends.Onnx.Community;
using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Tests.Unit.Backends.Onnx.Community;

public sealed class CommunityBundleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bundle-json-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonObject State(int index, string module, string key, string dtype, int[] shape, string fill) => new()
    {
        ["dtype"] = dtype,
        ["fill"] = fill,
        ["index"] = index,
        ["input_name"] = $"state_{index}",
        ["key"] = key,
        ["module"] = module,
        ["output_name"] = $"out_state_{index}",
        ["path"] = $"{module}/{key}",
        ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
    };

    /// <summary>bundle.json as the exporter writes it for a 12-layer model (schema 2).</summary>
    internal static JsonObject Bundle(int layers = 12)
    {
        var flow = new JsonArray();
        int index = 0;
        foreach (string module in Enumerable.Range(0, layers).Select(i => $"transformer.layers.{i}.self_attn").Order(StringComparer.Ordinal))
        {
            flow.Add(State(index++, module, "cache", "float32", [2, 1, 1000, 16, 64], "nan"));
            flow.Add(State(index++, module, "current_end", "float32", [0], "empty"));
            flow.Add(State(index++, module, "step", "int64", [1], "zeros"));
        }
        return new JsonObject
        {
            ["bos_before_voice_file"] = "bos_before_voice.npy",
            ["conditioning_dim"] = 1024,
            ["flow_lm_state_manifest"] = flow,
            ["insert_bos_before_voice"] = true,
            ["latent_dim"] = 32,
            ["mimi_state_manifest"] = new JsonArray(
                State(0, "decoder.model.0.conv", "first", "bool", [1], "ones"),
                State(1, "decoder.model.0.conv", "previous", "float32", [1, 512, 6], "zeros"),
                State(2, "decoder_transformer.transformer.layers.0.self_attn", "offset", "int64", [1], "zeros")),
            ["sample_rate"] = 24000,
            ["samples_per_frame"] = 1920,
            ["schema_version"] = 2,
            ["tokenizer_file"] = "tokenizer.model",
        };
    }

    private CommunityBundle Load(JsonObject json)
    {
        File.WriteAllText(Path.Combine(_folder, "bundle.json"), json.ToJsonString());
        return CommunityBundle.Load(_folder);
    }

    private InvalidDataException LoadFails(JsonObject json) => Should.Throw<InvalidDataException>(() => Load(json));

    [Fact]
    public void Reads_the_sizes_and_both_state_manifests()
    {
        CommunityBundle bundle = Load(Bundle());
        bundle.SamplesPerFrame.ShouldBe(1920);
        bundle.LatentDim.ShouldBe(32);
        bundle.ConditioningDim.ShouldBe(1024);
        bundle.InsertBosBeforeVoice.ShouldBeTrue();
        bundle.BosBeforeVoiceFile.ShouldBe("bos_before_voice.npy");
        bundle.TokenizerFile.ShouldBe("tokenizer.model");
        bundle.FlowLmStates.Length.ShouldBe(36);
        // Sorted as strings: layers 0, 1, then 10 at entries 6 … 8.
        bundle.FlowLmStates[6].ShouldSatisfyAllConditions(
            s => s.Module.ShouldBe("transformer.layers.10.self_attn"),
            s => s.Key.ShouldBe("cache"),
            s => s.Dtype.ShouldBe(StateDtype.Float32),
            s => s.Fill.ShouldBe(StateFill.NaN),
            s => s.Shape.ShouldBe([2, 1, 1000, 16, 64]),
            s => s.InputName.ShouldBe("state_6"),
            s => s.OutputName.ShouldBe("out_state_6"));
        bundle.FlowLmStates[7].Fill.ShouldBe(StateFill.Empty);
        bundle.FlowLmStates[7].Count.ShouldBe(0);
        bundle.MimiStates.Select(s => (s.Dtype, s.Fill)).ShouldBe([(StateDtype.Bool, StateFill.Ones), (StateDtype.Float32, StateFill.Zeros), (StateDtype.Int64, StateFill.Zeros)]);
    }

    [Fact]
    public void Reads_the_bos_before_voice_row_and_checks_its_width()
    {
        CommunityBundle bundle = Load(Bundle());
        Should.Throw<InvalidDataException>(() => bundle.BosBeforeVoice()).Message.ShouldContain("bos_before_voice.npy is missing");
        float[] row = [.. Enumerable.Range(0, 1024).Select(i => i * 0.5f)];
        File.WriteAllBytes(Path.Combine(_folder, "bos_before_voice.npy"), NpyReaderTests.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1024), }", row));
        bundle.BosBeforeVoice().ShouldBe(row);

        File.WriteAllBytes(Path.Combine(_folder, "bos_before_voice.npy"), NpyReaderTests.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", [1f, 2f]));
        Should.Throw<InvalidDataException>(() => bundle.BosBeforeVoice()).Message.ShouldContain("conditioning_dim = 1024");

        JsonObject without = Bundle();
        without["insert_bos_before_voice"] = false;
        Load(without).BosBeforeVoice().ShouldBeNull();
        JsonObject noFile = Bundle();
        noFile["bos_before_voice_file"] = null;
        Should.Throw<InvalidDataException>(() => Load(noFile).BosBeforeVoice()).Message.ShouldContain("bos_before_voice_file is null");
    }

    [Fact]
    public void Prefers_int8_graphs_when_quantizing_and_falls_back_to_whichever_file_exists()
    {
        CommunityBundle bundle = Load(Bundle());
        bundle.GraphFile("flow_lm_main", quantize: true).ShouldBe("flow_lm_main.onnx");
        File.WriteAllText(Path.Combine(_folder, "flow_lm_main_int8.onnx"), "");
        bundle.GraphFile("flow_lm_main", quantize: true).ShouldBe("flow_lm_main_int8.onnx");
        bundle.GraphFile("flow_lm_main", quantize: false).ShouldBe("flow_lm_main_int8.onnx");
        File.WriteAllText(Path.Combine(_folder, "flow_lm_main.onnx"), "");
        bundle.GraphFile("flow_lm_main", quantize: false).ShouldBe("flow_lm_main.onnx");
        bundle.GraphFile("flow_lm_main", quantize: true).ShouldBe("flow_lm_main_int8.onnx");
    }

    [Fact]
    public void A_folder_is_a_bundle_when_it_holds_bundle_json()
    {
        CommunityBundle.IsBundle(_folder).ShouldBeFalse();
        Load(Bundle());
        CommunityBundle.IsBundle(_folder).ShouldBeTrue();
    }

    [Fact]
    public void Names_a_missing_file_and_invalid_json()
    {
        Should.Throw<FileNotFoundException>(() => CommunityBundle.Load(_folder)).Message.ShouldContain(Path.Combine(_folder, "bundle.json"));
        File.WriteAllText(Path.Combine(_folder, "bundle.json"), "{ not json");
        Should.Throw<InvalidDataException>(() => CommunityBundle.Load(_folder)).Message.ShouldContain("is not valid JSON");
        File.WriteAllText(Path.Combine(_folder, "bundle.json"), "[1, 2]");
        Should.Throw<InvalidDataException>(() => CommunityBundle.Load(_folder)).Message.ShouldContain("not a JSON object");
    }

    [Theory]
    [InlineData("samples_per_frame", null, "samples_per_frame is missing")]
    [InlineData("latent_dim", "0", "latent_dim is 0; it must be positive")]
    [InlineData("conditioning_dim", "\"1024\"", "conditioning_dim is \"1024\", not an integer")]
    [InlineData("insert_bos_before_voice", "1", "insert_bos_before_voice is 1, not true or false")]
    [InlineData("schema_version", "3", "schema_version 3 is newer than this reader (2)")]
    [InlineData("flow_lm_state_manifest", null, "flow_lm_state_manifest is missing")]
    [InlineData("mimi_state_manifest", "{}", "mimi_state_manifest is not an array")]
    public void Names_the_field_that_is_missing_or_wrong(string field, string? value, string problem)
    {
        JsonObject json = Bundle();
        if (value is null)
            json.Remove(field);
        else
            json[field] = JsonNode.Parse(value);
        var e = LoadFails(json);
        e.Message.ShouldStartWith(Path.Combine(_folder, "bundle.json"));
        e.Message.ShouldContain(problem);
    }

    [Theory]
    [InlineData("fill", "\"mixed\"", "has fill 'mixed' for dtype Float32")]
    [InlineData("dtype", "\"float16\"", "has dtype 'float16'; float32, int64 and bool are supported")]
    [InlineData("shape", "[2, -1]", "has a shape dimension -1 that is not a size")]
    [InlineData("shape", "[0]", "has shape [0] and fill 'NaN'")]
    [InlineData("index", "7", "has index 7 at position 0")]
    [InlineData("module", null, "flow_lm_state_manifest[0] has no module")]
    public void Names_the_state_entry_that_is_wrong(string field, string? value, string problem)
    {
        JsonObject json = Bundle();
        var entry = (JsonObject)json["flow_lm_state_manifest"]![0]!;
        if (value is null)
            entry.Remove(field);
        else
            entry[field] = JsonNode.Parse(value);
        var e = LoadFails(json);
        e.Message.ShouldContain("bundle.json: flow_lm_state_manifest[0]");
        e.Message.ShouldContain(problem);
    }

    [Fact]
    public void Nan_fill_is_only_for_floats_and_empty_only_for_tensors_without_elements()
    {
        JsonObject json = Bundle();
        json["flow_lm_state_manifest"]![2]!["fill"] = "nan";
        LoadFails(json).Message.ShouldContain("(transformer.layers.0.self_attn/step) has fill 'nan' for dtype Int64");
        json = Bundle();
        json["flow_lm_state_manifest"]![2]!["fill"] = "empty";
        LoadFails(json).Message.ShouldContain("exactly the tensors without elements are 'empty'");
    }
}
