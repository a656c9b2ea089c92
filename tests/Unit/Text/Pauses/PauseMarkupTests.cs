using PocketTts.Text.Pauses;

namespace PocketTts.Tests.Unit.Text.Pauses;

public class PauseMarkupTests
{
    private static readonly PauseOptions Options = new();

    private static SpeechSegment S(string text) => new SpeechSegment(text);

    private static PauseSegment P(double milliseconds) => new PauseSegment(TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond)));

    private static IReadOnlyList<TextSegment> Parse(string text) => PauseMarkup.Parse(text, Options);

    [Theory]
    [InlineData("[pause:500ms]", 500)]
    [InlineData("[pause:1.5s]", 1500)]
    [InlineData("[pause]", 500)]
    [InlineData("[PAUSE: 250 MS]", 250)]
    [InlineData("[ pause : 2s ]", 2000)]
    [InlineData("[pause:.25s]", 250)]
    [InlineData("[pause:0.3333s]", 333.3)]
    [InlineData("<break time=\"700ms\"/>", 700)]
    [InlineData("<break time='2s'>", 2000)]
    [InlineData("<break  time = \"1.5s\" />", 1500)]
    [InlineData("<BREAK TIME=\"3S\"/>", 3000)]
    [InlineData("<break/>", 400)]
    [InlineData("<break>", 400)]
    [InlineData("<break strength=\"x-weak\"/>", 100)]
    [InlineData("<break strength=\"weak\"/>", 250)]
    [InlineData("<break strength=\"medium\"/>", 400)]
    [InlineData("<break strength=\"strong\"/>", 700)]
    [InlineData("<break strength='x-strong'/>", 1000)]
    [InlineData("<break strength=\"weak\" time=\"2s\"/>", 2000)]
    public void Reads_each_marker_form(string marker, double milliseconds) =>
        Parse($"Hello {marker} world").ShouldBe([S("Hello"), P(milliseconds), S("world")]);

    [Fact]
    public void Text_without_markers_is_one_trimmed_speech_segment() =>
        Parse("  Hello there, world.  ").ShouldBe([S("Hello there, world.")]);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_text_gives_no_segments(string text) => Parse(text).ShouldBeEmpty();

    [Fact]
    public void Pauses_at_start_and_end_are_kept() =>
        Parse("[pause:1s] Hello [pause:2s]").ShouldBe([P(1000), S("Hello"), P(2000)]);

    [Fact]
    public void A_marker_alone_is_a_pause() => Parse("[pause]").ShouldBe([P(500)]);

    [Fact]
    public void Adjacent_pauses_merge_into_their_sum() =>
        Parse("a [pause:1s][pause:500ms]  <break time=\"250ms\"/> b").ShouldBe([S("a"), P(1750), S("b")]);

    [Fact]
    public void Merged_pauses_are_clamped_after_summing() =>
        Parse("a [pause:6s] [pause:6s] b").ShouldBe([S("a"), P(10_000), S("b")]);

    [Theory]
    [InlineData("[pause:20s]")]
    [InlineData("[pause:99999999999999999999999s]")]
    [InlineData("<break time=\"10001ms\"/>")]
    public void Long_pauses_are_clamped_to_the_maximum(string marker) => Parse($"a {marker} b").ShouldBe([S("a"), P(10_000), S("b")]);

    [Fact]
    public void The_maximum_and_default_come_from_the_options()
    {
        var options = new PauseOptions { MaxPause = TimeSpan.FromSeconds(2), DefaultPause = TimeSpan.FromMilliseconds(300) };
        PauseMarkup.Parse("a [pause] b [pause:5s] c <break strength=\"x-strong\"/> d", options)
            .ShouldBe([S("a"), P(300), S("b"), P(2000), S("c"), P(1000), S("d")]);
        PauseMarkup.Parse("a <break strength=\"x-strong\"/> b", options with { MaxPause = TimeSpan.FromMilliseconds(600) })
            .ShouldBe([S("a"), P(600), S("b")]);
    }

    [Theory]
    [InlineData("a <break strength=\"none\"/> b")]
    [InlineData("a [pause:0ms] b")]
    [InlineData("a [pause:0s][pause:0s] b")]
    public void Zero_pauses_vanish_and_join_the_speech_around_them(string text) => Parse(text).ShouldBe([S("a b")]);

    [Fact]
    public void Whitespace_around_markers_is_trimmed_and_empty_speech_dropped() =>
        Parse(" \n one\t[pause:1s]\n  two  [pause:1s]   [pause:1s]three ").ShouldBe([S("one"), P(1000), S("two"), P(2000), S("three")]);

    [Theory]
    [InlineData("[laughs] okay")]
    [InlineData("a < b and c > d")]
    [InlineData("<breakfast> is served")]
    [InlineData("[paused] video")]
    [InlineData("[pauses] are fine")]
    [InlineData("x <br/> y [1] [ ] <break-line>")]
    public void Brackets_that_are_not_markers_stay_text(string text) => Parse(text).ShouldBe([S(text)]);

    [Theory]
    [InlineData("Say [pause:fast] now", "[pause:fast]", 4, "'fast' is not a length")]
    [InlineData("[pause:-1s]", "[pause:-1s]", 0, "the length '-1s' is negative")]
    [InlineData("[pause:2]", "[pause:2]", 0, "the length '2' has no unit (write ms or s)")]
    [InlineData("[pause:2min]", "[pause:2min]", 0, "'min' is not a unit (write ms or s)")]
    [InlineData("[pause:]", "[pause:]", 0, "the length is missing")]
    [InlineData("[pause:1.5.2s]", "[pause:1.5.2s]", 0, "'1.5.2s' is not a length")]
    [InlineData("[pause 1s]", "[pause 1s]", 0, "expected ':' and a length after 'pause'")]
    [InlineData("[pause-1s]", "[pause-1s]", 0, "expected ':' and a length after 'pause'")]
    [InlineData("a [pause:[pause:1s]]", "[pause:[pause:1s]", 2, "markers cannot be nested or contain brackets")]
    [InlineData("a [pause:1s", "[pause:1s", 2, "it has no closing ']'")]
    [InlineData("<break time=\"-2s\"/>", "<break time=\"-2s\"/>", 0, "the length '-2s' is negative")]
    [InlineData("<break time=\"soon\"/>", "<break time=\"soon\"/>", 0, "'soon' is not a length")]
    [InlineData("<break time=1s/>", "<break time=1s/>", 0, "attributes must be written name=\"value\" or name='value'")]
    [InlineData("<break strength=\"huge\"/>", "<break strength=\"huge\"/>", 0, "'huge' is not a strength")]
    [InlineData("<break length=\"1s\"/>", "<break length=\"1s\"/>", 0, "'length' is an unknown or repeated attribute (use time or strength, once each)")]
    [InlineData("<break time=\"1s\" time=\"2s\"/>", "<break time=\"1s\" time=\"2s\"/>", 0, "'time' is an unknown or repeated attribute (use time or strength, once each)")]
    [InlineData("ok </break>", "</break>", 3, "break is an empty element: write <break .../> without a closing tag")]
    [InlineData("<break time=\"1s\"", "<break time=\"1s\"", 0, "it has no closing '>'")]
    public void Malformed_markers_are_rejected_with_what_where_and_why(string text, string marker, int index, string problem)
    {
        var e = Should.Throw<PauseMarkupException>(() => Parse(text));
        e.Marker.ShouldBe(marker);
        e.Index.ShouldBe(index);
        e.Message.ShouldStartWith($"Malformed pause marker \"{marker}\" at line 1, column {index + 1}: {problem}. Accepted forms: [pause], [pause:500ms], [pause:1.5s], <break/>");
        e.Message.ShouldContain("x-strong");
        e.ShouldBeAssignableTo<InvalidInputException>("a caller maps every malformed input alike, without reading the message");
    }

    [Fact]
    public void The_message_gives_line_and_column()
    {
        var e = Should.Throw<PauseMarkupException>(() => Parse("first line\nsecond [pause:x]"));
        e.Message.ShouldStartWith("Malformed pause marker \"[pause:x]\" at line 2, column 8:");
        e.Index.ShouldBe(18);
    }

    [Fact]
    public void A_long_malformed_marker_is_quoted_in_short()
    {
        var e = Should.Throw<PauseMarkupException>(() => Parse("[pause " + new string('x', 100)));
        e.Marker.Length.ShouldBe(41);
        e.Marker.ShouldEndWith("…");
    }

    [Fact]
    public void Options_are_validated() =>
        Should.Throw<InvalidInputException>(() => PauseMarkup.Parse("a", new PauseOptions { DefaultPause = TimeSpan.FromSeconds(-1) }))
            .Subject.ShouldBe("DefaultPause");

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Should.Throw<ArgumentNullException>(() => PauseMarkup.Parse(null!, Options));
        Should.Throw<ArgumentNullException>(() => PauseMarkup.Parse("a", null!));
    }
}
