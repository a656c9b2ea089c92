using PocketTts.Text.Pauses;

namespace PocketTts.Tests.Unit.Text.Pauses;

public class TextSegmentTests
{
    [Theory]
    [InlineData(15_000_000, 24_000, 36_000)]    // 1.5 s
    [InlineData(3_333_000, 24_000, 7_999)]      // 0.3333 s = 7999.2 samples
    [InlineData(625, 24_000, 2)]                // 1.5 samples: halves round up
    [InlineData(3_333_541, 24_000, 8_000)]      // 8000.4984 samples
    [InlineData(0, 24_000, 0)]
    [InlineData(1, 24_000, 0)]                  // 100 ns = 0.0024 samples
    [InlineData(100_000_000, 24_000, 240_000)]  // 10 s
    [InlineData(5_000_000, 44_100, 22_050)]
    public void ToSamples_rounds_to_the_nearest_sample(long ticks, int sampleRate, int samples) =>
        new PauseSegment(TimeSpan.FromTicks(ticks)).ToSamples(sampleRate).ShouldBe(samples);

    [Fact]
    public void A_parsed_pause_is_sample_exact() =>
        PauseMarkup.Parse("[pause:1.5s]", new PauseOptions()).ShouldHaveSingleItem()
            .ShouldBeOfType<PauseSegment>().ToSamples(24_000).ShouldBe(36_000);

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new PauseSegment(TimeSpan.FromTicks(-1))).ParamName.ShouldBe("duration");
        Should.Throw<ArgumentOutOfRangeException>(() => new PauseSegment(TimeSpan.FromSeconds(1)).ToSamples(0)).ParamName.ShouldBe("sampleRate");
        Should.Throw<OverflowException>(() => new PauseSegment(TimeSpan.FromDays(2)).ToSamples(24_000));
    }

    [Fact]
    public void Segments_compare_by_value()
    {
        new SpeechSegment("a").ShouldBe(new SpeechSegment("a"));
        new PauseSegment(TimeSpan.FromSeconds(1)).ShouldBe(new PauseSegment(TimeSpan.FromMilliseconds(1000)));
        new PauseSegment(TimeSpan.FromSeconds(1)).ShouldNotBe(new PauseSegment(TimeSpan.FromSeconds(2)));
    }
}
