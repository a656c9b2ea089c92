using PocketTts.Text.Pauses;

namespace PocketTts.Tests.Unit.Text.Pauses;

public class PauseOptionsTests
{
    [Fact]
    public void Natural_pauses_are_opt_in_with_modest_lengths()
    {
        var options = new PauseOptions();
        options.NaturalPauses.ShouldBeFalse("plain text is chunked as the reference chunks it");
        options.CommaPause.ShouldBe(TimeSpan.FromMilliseconds(150));
        options.SentencePause.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.EllipsisPause.ShouldBe(TimeSpan.FromMilliseconds(300));
        options.DefaultPause.ShouldBe(TimeSpan.FromMilliseconds(500));
        options.MaxPause.ShouldBe(TimeSpan.FromSeconds(10));
        options.Validate();
    }

    public static TheoryData<PauseOptions, string, string, string> Invalid => new()
    {
        { new PauseOptions { MaxPause = TimeSpan.Zero }, "MaxPause", "0", "must be > 0 and at most 60 s." },
        { new PauseOptions { MaxPause = TimeSpan.FromMinutes(2) }, "MaxPause", "120000", "must be > 0 and at most 60 s." },
        { new PauseOptions { DefaultPause = TimeSpan.FromSeconds(11) }, "DefaultPause", "11000", "must be ≥ 0 and at most the longest pause (10000 ms)." },
        { new PauseOptions { CommaPause = TimeSpan.FromMilliseconds(-1) }, "CommaPause", "-1", "must be ≥ 0 and at most the longest pause (10000 ms)." },
        { new PauseOptions { SentencePause = TimeSpan.FromSeconds(-1) }, "SentencePause", "-1000", "must be ≥ 0" },
        { new PauseOptions { EllipsisPause = TimeSpan.FromSeconds(20) }, "EllipsisPause", "20000", "must be ≥ 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Out_of_range_lengths_are_rejected_by_name_and_value(PauseOptions options, string name, string milliseconds, string reason)
    {
        var e = Should.Throw<InvalidInputException>(options.Validate);
        e.Subject.ShouldBe(name);
        e.Value.ShouldBe(milliseconds);
        e.Reason.ShouldStartWith(reason);
        e.Message.ShouldBe($"{name} '{milliseconds}': {e.Reason}");
    }
}
