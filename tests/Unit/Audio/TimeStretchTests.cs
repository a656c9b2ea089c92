using PocketTts.Audio;

namespace PocketTts.Tests.Unit.Audio;

public sealed class TimeStretchTests
{
    private const int Rate = 24000;

    private static float[] Sine(double hz, int samples) => [.. Enumerable.Range(0, samples).Select(i => 0.5f * MathF.Sin((float)(2 * Math.PI * hz * i / Rate)))];

    /// <summary>Frequency from zero crossings over the middle of the signal (away from the fades at both ends).</summary>
    private static double Frequency(float[] signal)
    {
        int from = signal.Length / 10, to = signal.Length * 9 / 10, crossings = 0;
        for (int i = from + 1; i < to; i++)
        {
            if ((signal[i - 1] < 0) != (signal[i] < 0))
                crossings++;
        }
        return crossings / 2.0 / ((to - from) / (double)Rate);
    }

    private static float[] Stretch(float speed, float[] input, int block)
    {
        var stretch = new TimeStretch(speed, Rate);
        var output = new List<float>();
        for (int i = 0; i < input.Length; i += block)
            output.AddRange(stretch.Process(input.AsSpan(i, Math.Min(block, input.Length - i))).ToArray());
        output.AddRange(stretch.Flush().ToArray());
        return [.. output];
    }

    [Theory]
    [InlineData(0.25f)]
    [InlineData(0.5f)]
    [InlineData(0.8f)]
    [InlineData(1.5f)]
    [InlineData(2f)]
    [InlineData(4f)]
    public void Length_scales_by_one_over_speed_and_pitch_is_kept(float speed)
    {
        float[] input = Sine(220, 3 * Rate);
        float[] output = Stretch(speed, input, block: 1920);

        output.Length.ShouldBe((int)Math.Round(input.Length / (double)speed));
        Frequency(output).ShouldBe(220, tolerance: 220 * 0.02, "WSOLA changes the tempo, not the pitch");
    }

    [Fact]
    public void Output_does_not_depend_on_how_the_input_is_cut()
    {
        float[] input = Sine(150, Rate);
        float[] whole = Stretch(1.7f, input, block: input.Length);
        float[] pieces = Stretch(1.7f, input, block: 333);
        pieces.ShouldBe(whole);
    }

    [Fact]
    public void A_steady_tone_keeps_its_level_through_the_overlaps()
    {
        float[] output = Stretch(0.5f, Sine(200, Rate), block: 1920);
        float peak = output.Skip(output.Length / 10).Take(output.Length * 8 / 10).Max(MathF.Abs);
        peak.ShouldBe(0.5f, tolerance: 0.05f, "in-phase overlap-add of Hann halves sums to the original amplitude");
    }

    [Fact]
    public void Very_short_input_still_gives_the_scaled_length()
    {
        Stretch(2f, Sine(200, 100), block: 100).Length.ShouldBe(50);
        Stretch(0.25f, [], block: 1).Length.ShouldBe(0);
    }

    [Theory]
    [InlineData(0.2f)]
    [InlineData(4.5f)]
    [InlineData(float.NaN)]
    public void Speeds_outside_the_openai_range_are_refused(float speed)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new TimeStretch(speed, Rate)).Message.ShouldContain("between 0.25 and 4");
    }
}
