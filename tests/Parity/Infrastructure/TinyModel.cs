using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>
/// The tiny model of Fixtures/tiny: its configuration and its weights. Its fixtures were made by upstream main after
/// 3.3.0 (scripts/fixtures, see Fixtures/README.md), so it runs with the current numerics.
/// </summary>
public static class TinyModel
{
    /// <summary>The tiny model's files with <paramref name="tokenizer"/> (a fixture path).</summary>
    public static ModelSource Source(string tokenizer = "tokenizer.model") =>
        new(Fixture.PathOf("tiny/config.yaml"), Fixture.PathOf("tiny/model.safetensors"), Fixture.PathOf(tokenizer));

    /// <summary>tiny/config.yaml, read by the same loader users go through.</summary>
    public static ModelConfig Config { get; } = ModelConfigLoader.Load(Source());

    /// <summary>Opens tiny/model.safetensors (the whole <c>TTSModel.state_dict()</c>).</summary>
    public static SafeTensorsFile OpenWeights() => Fixture.Open("tiny/model.safetensors");

    /// <summary>
    /// A root scope that sees only the tensors whose names <paramref name="include"/> accepts, so that
    /// <see cref="WeightScope.EnsureAllConsumed"/> checks one part of the checkpoint (for example <c>flow_lm.*</c>)
    /// while the other parts are built elsewhere.
    /// </summary>
    public static WeightScope Subset(IWeightSource source, Func<string, bool> include) => new(new SubsetSource(source, include));

    private sealed class SubsetSource(IWeightSource source, Func<string, bool> include) : IWeightSource
    {
        public IReadOnlyCollection<string> Names { get; } = [.. source.Names.Where(include)];

        public bool TryGet(string name, out WeightTensor tensor)
        {
            if (include(name))
                return source.TryGet(name, out tensor);
            tensor = null!;
            return false;
        }
    }
}
