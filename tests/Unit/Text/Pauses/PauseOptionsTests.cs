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

    public static TheoryData<PauseOptions, string, string> Invalid => new()
    {
        { new PauseOptions { MaxPause = TimeSpan.Zero }, "MaxPause", "MaxPause must be > 0 and at most 60 s." },
        { new PauseOptions { MaxPause = TimeSpan.FromMinutes(2) }, "MaxPause", "MaxPause must be > 0 and at most 60 s." },
        { new PauseOptions { DefaultPause = TimeSpan.FromSeconds(11) }, "DefaultPause", "DefaultPause must be ≥ 0 and at most MaxPause (10000 ms)." },
        { new PauseOptions { CommaPause = TimeSpan.FromMilliseconds(-1) }, "CommaPause", "CommaPause must be ≥ 0 and at most MaxPause (10000 ms)." },
        { new PauseOptions { SentencePause = TimeSpan.FromSeconds(-1) }, "SentencePause", "SentencePause must be ≥ 0" },
        { new PauseOptions { EllipsisPause = TimeSpan.FromSeconds(20) }, "EllipsisPause", "EllipsisPause must be ≥ 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Out_of_range_lengths_are_rejected_by_name(PauseOptions options, string name, string message)
    {
        var e = Should.Throw<ArgumentOutOfRangeException>(options.Validate);
        e.ParamName.ShouldBe(name);
        e.Message.ShouldStartWith(message);
    }
}
