using PocketTts.Audio;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Audio;

public class ResamplerTests
{
    [Theory]
    [InlineData(8000, 3, 1)]
    [InlineData(16000, 3, 2)]
    [InlineData(22050, 160, 147)]
    [InlineData(44100, 80, 147)]
    [InlineData(48000, 1, 2)]
    public void Taps_and_output_match_scipy_resample_poly(int rate, int up, int down)
    {
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture("resample.safetensors"));
        float[] expectedTaps = WeightConversion.ToFloat32(file[$"sr{rate}/fir"]);
        float[] taps = Resampler.Taps(up, down);
        taps.Length.ShouldBe(expectedTaps.Length);
        for (int i = 0; i < taps.Length; i++)
            MathF.Abs(taps[i] - expectedTaps[i]).ShouldBeLessThanOrEqualTo(1e-7f, $"tap {i}");

        float[] output = Resampler.Resample(WeightConversion.ToFloat32(file[$"sr{rate}/input"]), rate, 24000);
        float[] expected = WeightConversion.ToFloat32(file[$"sr{rate}/output"]);
        output.Length.ShouldBe(expected.Length);
        for (int i = 0; i < output.Length; i++)
            MathF.Abs(output[i] - expected[i]).ShouldBeLessThanOrEqualTo(1e-6f, $"sample {i}");
    }

    [Fact]
    public void Equal_rates_are_the_identity()
    {
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture("resample.safetensors"));
        float[] input = WeightConversion.ToFloat32(file["sr24000/input"]);
        Resampler.Resample(input, 24000, 24000).ShouldBe(WeightConversion.ToFloat32(file["sr24000/output"]));
    }

    [Fact]
    public void Rates_must_be_positive()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Resampler.Resample([1f], 0, 24000));
    }
}
