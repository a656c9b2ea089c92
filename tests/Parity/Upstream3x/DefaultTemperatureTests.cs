using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Text.Normalization;
using PocketTts.Voices;

namespace PocketTts.Tests.Parity.Upstream3x;

/// <summary>Without a temperature, generation uses the configuration's <c>default_temperature</c>, as the reference since 3.x.</summary>
public sealed class DefaultTemperatureTests
{
    private sealed class StdRecorder : INoiseSource
    {
        public List<float> Stds { get; } = [];

        public void Fill(Span<float> noise, float std, float? clamp)
        {
            Stds.Add(std);
            noise.Clear();
        }
    }

    [Theory]
    [InlineData(null, 0.3f)]
    [InlineData(0.5f, 0.5f)]
    [InlineData(0f, 0f)]
    public async Task The_noise_has_the_configured_or_the_given_variance(float? temperature, float variance)
    {
        await using PocketTtsModel model = await PocketTtsModel.LoadAsync(Upstream3xModels.Source("tiny_lsd"), ParityBackends.Create("managed"));
        model.Config.DefaultTemperature.ShouldBe(0.3);
        VoiceState voice = model.LoadVoiceState(Fixture.PathOf("upstream-3x/voice_state_lsd.safetensors"));
        var options = new GenerationOptions { Temperature = temperature, TextNormalizer = TextNormalizers.PassThrough };
        var noise = new StdRecorder();

        await foreach (AudioChunk _ in model.GenerateStreamingAsync("Hello there.", voice, options, noise))
        {
        }

        noise.Stds.ShouldNotBeEmpty();
        noise.Stds.ShouldAllBe(s => s == MathF.Sqrt(variance));
    }
}
