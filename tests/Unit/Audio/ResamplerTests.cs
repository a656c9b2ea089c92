using PocketTts.Audio;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Unit.Audio;

public class ResamplerTests
{
    private static float[] Fixture(SafeTensorsFile file, string name) =>
        file.TryGet(name, out WeightTensor tensor) ? WeightConversion.ToFloat32(tensor) : throw new InvalidDataException($"resample.safetensors has no '{name}'.");

    // Measured on linux-x64: taps and outputs are bit-identical with scipy 1.10.1; the tolerances are the brief's.
    [Theory]
    [InlineData(8000, 3, 1)]
    [InlineData(16000, 3, 2)]
    [InlineData(22050, 160, 147)]
    [InlineData(44100, 80, 147)]
    [InlineData(48000, 1, 2)]
    public void Taps_and_output_match_scipy_resample_poly(int rate, int up, int down)
    {
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture("resample.safetensors"));
        file.Metadata[$"sr{rate}/up_down"].ShouldBe($"{up}/{down}");
        float[] expectedTaps = Fixture(file, $"sr{rate}/fir");
        float[] taps = Resampler.Taps(up, down);
        taps.Length.ShouldBe(2 * 10 * Math.Max(up, down) + 1);
        taps.Length.ShouldBe(expectedTaps.Length);
        for (int i = 0; i < taps.Length; i++)
            MathF.Abs(taps[i] - expectedTaps[i]).ShouldBeLessThanOrEqualTo(1e-7f, $"tap {i}");

        float[] output = Resampler.Resample(Fixture(file, $"sr{rate}/input"), rate, 24000);
        float[] expected = Fixture(file, $"sr{rate}/output");
        output.Length.ShouldBe(expected.Length);
        for (int i = 0; i < output.Length; i++)
            MathF.Abs(output[i] - expected[i]).ShouldBeLessThanOrEqualTo(1e-6f, $"sample {i}");
    }

    [Fact]
    public void Equal_rates_give_a_copy_of_the_input()
    {
        using var file = SafeTensorsFile.Open(RepoPaths.Fixture("resample.safetensors"));
        float[] input = Fixture(file, "sr24000/input");
        float[] output = Resampler.Resample(input, 24000, 24000);
        output.ShouldBe(Fixture(file, "sr24000/output"));
        output.ShouldNotBeSameAs(input);
    }

    [Theory]
    [InlineData(0, 44100, 0)]
    [InlineData(1, 44100, 1)]
    [InlineData(7, 44100, 4)]       // ceil(7 · 80 / 147)
    [InlineData(1001, 44100, 545)]
    [InlineData(5, 8000, 15)]
    [InlineData(5, 48000, 3)]
    [InlineData(11, 96000, 3)]      // ceil(11 / 4)
    [InlineData(10, 12345, 20)]     // up/down = 1600/823 after the gcd
    public void The_output_has_ceil_n_up_over_down_samples(int n, int rate, int expected)
    {
        Resampler.Resample(new float[n], rate, 24000).Length.ShouldBe(expected);
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void A_constant_signal_keeps_its_level_away_from_the_edges(int rate)
    {
        float[] output = Resampler.Resample(Enumerable.Repeat(0.5f, rate / 10).ToArray(), rate, 24000);
        // The filter has unit gain at DC; only near the ends do the zeros outside the signal show.
        for (int i = output.Length / 4; i < 3 * output.Length / 4; i++)
            output[i].ShouldBe(0.5f, 2e-3f, $"sample {i}");
    }

    [Fact]
    public void Rates_must_be_positive()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Resampler.Resample([1f], 0, 24000)).ParamName.ShouldBe("fromRate");
        Should.Throw<ArgumentOutOfRangeException>(() => Resampler.Resample([1f], 24000, -1)).ParamName.ShouldBe("toRate");
        Should.Throw<ArgumentOutOfRangeException>(() => Resampler.Taps(0, 1)).ParamName.ShouldBe("up");
    }
}
