using PocketTts.Graphs;
using PocketTts.Graphs.Onnx;

namespace PocketTts.Tests.Unit.Backends.Onnx;

public sealed class OnnxManifestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("onnx-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static OnnxManifest Sample(int version = OnnxManifest.CurrentVersion) => new(
        OnnxManifest.FormatName, version, "model.safetensors|1|2|float32",
        new StageGraphSettings(128, 32, 32, 2, 2, 64, true, 4001, 1920, 4, false, false),
        new Dictionary<string, GraphSpec>
        {
            ["flow_lm_main"] = new("flow_lm_main", "flow_lm_main.onnx", [new TensorSpec("latent", [1, 32])], [new TensorSpec("hidden", [1, 128])],
                                   [new StateSpec(3, "state_3", null, [4, 2])], [new CacheSpec(1, 2, 64, null, 1, "a", "b", "c", "d")], "position"),
        });

    [Fact]
    public void A_saved_manifest_loads_with_every_field()
    {
        Sample().Save(_folder);
        OnnxManifest loaded = OnnxManifest.Load(_folder);
        loaded.Settings.ShouldBe(Sample().Settings);
        GraphSpec step = loaded.Graph("flow_lm_main");
        step.Position.ShouldBe("position");
        step.States.Single().Output.ShouldBeNull();
        step.Caches.Single().Window.ShouldBeNull();
        File.ReadAllText(Path.Combine(_folder, OnnxManifest.FileName)).ShouldContain("\"past_keys\": \"a\"");
        Should.Throw<InvalidDataException>(() => loaded.Graph("mimi_decoder")).Message.ShouldContain("no 'mimi_decoder' graph");
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("{\"format\": \"other\", \"version\": 1}", "is not a pocket-tts-dotnet-onnx manifest")]
    public void Broken_manifests_are_named(string text, string message)
    {
        File.WriteAllText(Path.Combine(_folder, OnnxManifest.FileName), text);
        Should.Throw<InvalidDataException>(() => OnnxManifest.Load(_folder)).Message.ShouldContain(message);
    }

    [Fact]
    public void Another_layout_version_asks_for_a_new_export()
    {
        Sample(version: 99).Save(_folder);
        Should.Throw<InvalidDataException>(() => OnnxManifest.Load(_folder)).Message.ShouldContain("Export the graphs again");
    }
}
