using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>
/// The tiny model of Fixtures/tiny: its configuration and its weights. Its fixtures were made by pocket-tts 2.1.0,
/// so it runs with that release's numerics (<see cref="ReferenceNumerics.Before3"/>).
/// </summary>
public static class TinyModel
{
    /// <summary>The tiny model's files with <paramref name="tokenizer"/> (a fixture path), and pocket-tts 2.1.0's numerics.</summary>
    public static ModelSource Source(string tokenizer = "tokenizer.model") =>
        new(Fixture.PathOf("tiny/config.yaml"), Fixture.PathOf("tiny/model.safetensors"), Fixture.PathOf(tokenizer)) { Numerics = ReferenceNumerics.Before3 };

    /// <summary>tiny/config.yaml, read by the same loader users go through, with pocket-tts 2.1.0's numerics.</summary>
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
