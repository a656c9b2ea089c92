using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;

namespace PocketTts.Tests.Unit.Text.Pauses;

public class TextSegmenterTests
{
    private static SpeechSegment S(string text) => new SpeechSegment(text);

    private static PauseSegment P(int milliseconds) => new PauseSegment(TimeSpan.FromMilliseconds(milliseconds));

    [Fact]
    public void Markers_are_read_before_normalising_and_natural_pauses_come_last() =>
        TextSegmenter.Segment("It costs $1,234.50. [pause:1.5s] Dr. Smith agreed, at 3:30 pm.", TextNormalizers.English, new PauseOptions { NaturalPauses = true })
            .ShouldBe([
                S("It costs one thousand two hundred thirty-four dollars and fifty cents."), P(1500),
                S("Doctor Smith agreed,"), P(150), S("at three thirty P M.")]);

    [Fact]
    public void By_default_text_with_nothing_to_normalise_is_one_unchanged_segment()
    {
        const string Text = "Well, here we are; at last: the end... Is it? Yes! \"Quoted\" (aside) - it's done. Wait… what?";
        TextSegmenter.Segment(Text, TextNormalizers.English, new PauseOptions()).ShouldBe([S(Text)]);
    }

    [Fact]
    public void Pass_through_languages_keep_their_numbers() =>
        TextSegmenter.Segment("Il a 1,5 kg. [pause] Voilà", TextNormalizers.PassThrough, new PauseOptions())
            .ShouldBe([S("Il a 1,5 kg."), P(500), S("Voilà")]);

    [Fact]
    public void Malformed_markers_are_rejected_before_anything_else() =>
        Should.Throw<PauseMarkupException>(() => TextSegmenter.Segment("5 [pause:fast]", TextNormalizers.English, new PauseOptions()));

    [Fact]
    public void A_missing_normaliser_is_rejected() =>
        Should.Throw<ArgumentNullException>(() => TextSegmenter.Segment("a", null!, new PauseOptions()));
}
