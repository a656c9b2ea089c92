using PocketTts.Config;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>
/// The tiny model of Fixtures/tiny: its configuration and its weights.
/// </summary>
public static class TinyModel
{
    /// <summary>tiny/config.yaml, read by the same loader users go through.</summary>
    public static ModelConfig Config { get; } = ModelConfigLoader.LoadFile(Fixture.PathOf("tiny/config.yaml"));

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
