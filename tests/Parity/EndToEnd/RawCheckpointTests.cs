using PocketTts.Backends;
using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;

namespace PocketTts.Tests.Parity.EndToEnd;

public sealed class RawCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("raw-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_configuration_naming_raw_training_checkpoints_loads_the_same_model()
    {
        // The tiny configuration, pointed at the raw FlowLM and weight-normed Mimi checkpoints instead of model.safetensors.
        string yaml = (await File.ReadAllTextAsync(Fixture.PathOf("tiny/config.yaml")))
            .Replace("weights_path: model.safetensors\n", "", StringComparison.Ordinal)
            .Replace("weights_path_without_voice_cloning: model.safetensors\n", "", StringComparison.Ordinal)
            .Replace("  insert_bos_before_voice: true\n", $"  insert_bos_before_voice: true\n  weights_path: {Fixture.PathOf("tiny/raw_flow_lm.safetensors")}\n", StringComparison.Ordinal)
            .Replace("  outer_dim: 64\n", $"  outer_dim: 64\n  weights_path: {Fixture.PathOf("tiny/raw_mimi_weightnorm.safetensors")}\n", StringComparison.Ordinal)
            .Replace("../tokenizer.model", Fixture.PathOf("tokenizer.model"), StringComparison.Ordinal);
        string config = Path.Combine(_folder, "raw.yaml");
        await File.WriteAllTextAsync(config, yaml);

        using var raw = await PocketTtsModel.LoadAsync(new ModelSource(config, "", Fixture.PathOf("tokenizer.model")), ParityBackends.Create("managed"));
        using var whole = await PocketTtsModel.LoadAsync(TinyModel.Source(), ParityBackends.Create("managed"));
        var voice = whole.LoadVoiceState(Fixture.PathOf("voice_state.safetensors"));
        var options = new GenerationOptions { Seed = 5 };

        float[] a = await raw.GenerateAsync("Hello world!", voice, options);
        float[] b = await whole.GenerateAsync("Hello world!", voice, options);
        a.Length.ShouldBe(b.Length);
        a.ShouldBeClose(b, 1e-4f, "raw-checkpoint model vs published-layout model");
    }
}
