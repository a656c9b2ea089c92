using PocketTts.Generation;

namespace PocketTts.Tests.Unit.Generation;

public class SpeechFadeTests
{
    [Fact]
    public void The_ramp_is_10_ms_and_rises_from_near_zero_to_exactly_one()
    {
        SpeechFade.Length(24000).ShouldBe(240);
        SpeechFade.Gain(240, 240).ShouldBe(1f);
        SpeechFade.Gain(120, 240).ShouldBe(0.5f, 1e-6f);
        SpeechFade.Gain(1, 240).ShouldBeInRange(1e-5f, 1e-4f);
    }

    [Fact]
    public void Fades_touch_only_their_end_of_the_frame()
    {
        float[] outgoing = Enumerable.Repeat(1f, 10).ToArray();
        float[] incoming = Enumerable.Repeat(1f, 10).ToArray();

        SpeechFade.Out(outgoing, 4);
        SpeechFade.In(incoming, 4);

        outgoing[..6].ShouldAllBe(s => s == 1f);
        outgoing[6..].ShouldBe([1f, SpeechFade.Gain(3, 4), SpeechFade.Gain(2, 4), SpeechFade.Gain(1, 4)]);
        incoming[..4].ShouldBe([SpeechFade.Gain(1, 4), SpeechFade.Gain(2, 4), SpeechFade.Gain(3, 4), 1f]);
        incoming[4..].ShouldAllBe(s => s == 1f);
    }

    [Fact]
    public void A_fade_longer_than_the_samples_covers_them_all()
    {
        float[] samples = [1f, 1f];
        SpeechFade.Out(samples, 240);
        samples.ShouldBe([SpeechFade.Gain(2, 2), SpeechFade.Gain(1, 2)]);
    }
}
