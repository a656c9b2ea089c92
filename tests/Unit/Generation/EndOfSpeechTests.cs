using PocketTts.Generation;

namespace PocketTts.Tests.Unit.Generation;

public class EndOfSpeechTests
{
    // Steps emitted for these logits (threshold −4, two frames after EOS), the step that ended it, and the EOS step.
    private static (int Emitted, int EosStep) Run(float[] logits, int minFramesBeforeEos)
    {
        var eos = new EndOfSpeech(-4f, 2, minFramesBeforeEos);
        int step = 0;
        while (step < logits.Length && eos.Observe(step, logits[step]))
            step++;
        return (step, eos.EosStep);
    }

    [Fact]
    public void A_logit_above_the_threshold_before_the_minimum_is_ignored()
    {
        float[] logits = [0f, 0f, -9f, -9f, -9f, -9f, -9f, -3f, -9f, -9f, -9f, -9f];
        Run(logits, minFramesBeforeEos: 6).ShouldBe((9, 7), "the EOS of step 7 counts, not those of steps 0 and 1");
        Run(logits, minFramesBeforeEos: 0).ShouldBe((2, 0), "pocket-tts 2.x stops on the first one");
    }

    [Fact]
    public void The_first_step_at_the_minimum_may_end_speech_and_the_threshold_is_strict()
    {
        Run([-9f, -9f, -9f, -9f, -9f, -9f, 1f, -9f, -9f, -9f], minFramesBeforeEos: 6).ShouldBe((8, 6));
        Run([-9f, -9f, -9f, -9f, -9f, -9f, -4f, -9f, -9f], minFramesBeforeEos: 6).ShouldBe((9, -1), "−4 is not above −4");
    }

    [Fact]
    public void The_rules_are_the_reference_s_six_frames_and_5_ms_fade_in()
    {
        GenerationRules.For(24000).ShouldBe(new GenerationRules(6, 120));
        GenerationRules.For(16000).ShouldBe(new GenerationRules(6, 80));
    }
}
