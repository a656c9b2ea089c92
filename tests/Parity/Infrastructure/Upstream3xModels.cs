using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>
/// The tiny models of Fixtures/upstream-3x (<c>tiny_lsd</c>, <c>tiny_drifting</c>): made by a reconstruction of the
/// reference after 3.3.0, so they run with the current numerics.
/// </summary>
public static class Upstream3xModels
{
    /// <summary>The model's files (config, weights, the shared tokenizer).</summary>
    public static ModelSource Source(string model) =>
        new(Fixture.PathOf($"upstream-3x/{model}/config.yaml"), Fixture.PathOf($"upstream-3x/{model}/model.safetensors"), Fixture.PathOf("upstream-3x/tokenizer.model"));

    /// <summary>The model's configuration, read by the loader users go through.</summary>
    public static ModelConfig Config(string model) => ModelConfigLoader.Load(Source(model));

    /// <summary>Opens the model's weights (the whole <c>TTSModel.state_dict()</c>).</summary>
    public static SafeTensorsFile OpenWeights(string model) => Fixture.Open($"upstream-3x/{model}/model.safetensors");
}
