using PocketTts.Audio;

namespace PocketTts.Tests.Unit.Audio;

public class AudioPreparationTests
{
    [Fact]
    public void A_clip_is_resampled_to_the_model_rate()
    {
        float[] samples = [.. Enumerable.Range(0, 4410).Select(i => MathF.Sin(i * 0.05f))];
        float[] input = AudioPreparation.ToModelInput(new AudioClip(samples, 44100), 24000);
        input.Length.ShouldBe(2400);
        input.ShouldBe(Resampler.Resample(samples, 44100, 24000));
        AudioPreparation.ToModelInput(new AudioClip(samples, 24000), 24000).ShouldBe(samples);
    }

    [Theory]
    [InlineData(8000, 31.0, 240000)]
    [InlineData(44100, 45.5, 1323000)]
    [InlineData(22050, 30.0, 661500)]
    public void Truncation_keeps_int_seconds_times_rate_samples_like_the_reference(int rate, double seconds, int expected)
    {
        var clip = new AudioClip(new float[(int)(seconds * rate)], rate);
        AudioClip kept = AudioPreparation.Truncate(clip, AudioPreparation.VoicePromptLimit);
        kept.Samples.Length.ShouldBe(expected);
        kept.SampleRate.ShouldBe(rate);
    }

    [Fact]
    public void A_short_clip_is_kept_whole()
    {
        var clip = new AudioClip(new float[100], 8000);
        AudioPreparation.Truncate(clip, TimeSpan.FromSeconds(30)).ShouldBeSameAs(clip);
        AudioPreparation.Truncate(clip, TimeSpan.FromMilliseconds(5)).Samples.Length.ShouldBe(40);
        AudioPreparation.Truncate(clip, TimeSpan.Zero).Samples.ShouldBeEmpty();
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => AudioPreparation.Truncate(new AudioClip([], 8000), TimeSpan.FromSeconds(-1)));
        Should.Throw<ArgumentOutOfRangeException>(() => new AudioClip([], 0)).Message.ShouldContain("A sample rate must be positive.");
        Should.Throw<ArgumentOutOfRangeException>(() => AudioPreparation.ToModelInput(new AudioClip([1f], 8000), 0));
    }
}
