using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Text.Pauses;

namespace PocketTts.Tests.Parity.TextStream;

/// <summary>
/// The plan of a text that arrives in pieces is the plan of the whole text, wherever the pieces are cut: checked over
/// many random cuts (and one character at a time) of texts that exercise every rule the plan depends on — sentence
/// packing, commas in sentences over budget, decimals, abbreviations, numbers, quotes, line breaks, pause markers
/// with spaces inside them, natural pauses — on the tiny model's tokenizer with English normalisation.
/// </summary>
public sealed class TextStreamPlannerTests
{
    private static readonly string[] Texts =
    [
        "Hello there! How are you doing today? I hope the weather is nice where you are... Let us see how this text gets split into chunks! Is it working?",
        "It costs 3.14 dollars. Dr. Smith paid $5 for 2 apples, 3 pears and 10,000 grapes; then he left at 10:30. No. 5 is \"next.\" Really?! Yes.",
        "This is one long sentence, with many commas, that goes on and on, well past the budget of a chunk, so that it is cut again, after its commas, as the reference does. Short one.",
        "Line one.\nLine two.\n\nA new paragraph,   with  spaces. The end",
        "Before the pause. [pause:500ms] After it, <break time = \"1s\"/> and after the break. [pause] [pause:200ms] Joined pauses. Tail without a mark",
        "(Quoted) «text» and 'single quotes.' \"Double?\" Yes... no… maybe; fine: ok. U.S. army, e.g. this. J. Smith came.",
    ];

    private static readonly GenerationOptions[] Options =
    [
        new() { MaxTokensPerChunk = 50 },
        new() { MaxTokensPerChunk = 12 },
        new() { MaxTokensPerChunk = 4 },
        new() { MaxTokensPerChunk = 15, Pauses = new PauseOptions { NaturalPauses = true } },
    ];

    private readonly SpeechPlanner _planner = SpeechPlanner.Load(TinyModel.Source() with { Language = "english" });

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        for (int text = 0; text < Texts.Length; text++)
        {
            for (int options = 0; options < Options.Length; options++)
                data.Add(text, options);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_cuts_release_the_whole_text_s_plan(int textIndex, int optionsIndex)
    {
        string text = Texts[textIndex];
        GenerationOptions options = Options[optionsIndex];
        string[] expected = Describe(_planner.Plan(text, options));
        var random = new Random(1000 * textIndex + optionsIndex);

        for (int trial = 0; trial < 60; trial++)
        {
            int maxPiece = trial == 0 ? 1 : random.Next(1, 16);
            var planner = new TextStreamPlanner(_planner, options);
            for (int start = 0; start < text.Length;)
            {
                int length = Math.Min(random.Next(1, maxPiece + 1), text.Length - start);
                int released = planner.Items.Count;
                planner.Append(text.Substring(start, length));
                start += length;
                // What was released is never taken back, and is the start of the whole text's plan.
                Describe(planner.Items).ShouldBe(expected.Take(planner.Items.Count), $"after {start} characters in pieces of at most {maxPiece}");
                planner.Items.Count.ShouldBeGreaterThanOrEqualTo(released);
            }
            Describe(planner.Flush()).ShouldBe(expected, $"trial {trial}, pieces of at most {maxPiece}");
            planner.Items.ShouldBeEmpty("a flush starts a new turn");
        }
    }

    [Fact]
    public void A_chunk_is_released_once_the_sentence_after_it_is_complete()
    {
        // Planned whole: "Hello there!  How are you doing today?" (11 tokens), "I hope the weather is nice where you
        // are..." (13: it does not fit with the first), "Let us see how this text gets split into chunks!" (21),
        // "Is it working?" (6).
        string text = Texts[0];
        var planner = new TextStreamPlanner(_planner, new GenerationOptions { MaxTokensPerChunk = 15 });
        var releases = new List<string>();

        for (int i = 0; i < text.Length; i++)
        {
            if (planner.Append(text[i].ToString()) > 0)
                releases.Add(text[..(i + 1)]);
        }

        // The first word after the second sentence (and the space that completes it) closes that sentence, so the
        // first chunk can no longer take it.
        releases.ShouldBe([
            "Hello there! How are you doing today? I hope the weather is nice where you are... Let ",
            "Hello there! How are you doing today? I hope the weather is nice where you are... Let us see how this text gets split into chunks! Is ",
        ]);
        planner.Items.Cast<ChunkPlan>().Select(c => c.Text).ShouldBe(["Hello there!  How are you doing today?", "I hope the weather is nice where you are..."]);
    }

    [Fact]
    public void A_flush_ends_the_turn_and_what_follows_is_a_new_text()
    {
        var options = new GenerationOptions();
        var planner = new TextStreamPlanner(_planner, options);
        planner.Append("Hello there");

        Describe(planner.Flush()).ShouldBe(Describe(_planner.Plan("Hello there", options)));
        planner.Append("how are you");
        Describe(planner.Flush()).ShouldBe(Describe(_planner.Plan("how are you", options)), "capitalised and punctuated as a text of its own");
        planner.Append("   \n").ShouldBe(0);
        planner.Flush().ShouldBeEmpty("a blank turn says nothing");
    }

    [Fact]
    public void A_malformed_marker_waits_for_the_end_of_the_text_to_fail()
    {
        var planner = new TextStreamPlanner(_planner, new GenerationOptions());
        planner.Append("One sentence here. [pause:fast] And more text after it. ").ShouldBe(0);

        Should.Throw<PauseMarkupException>(planner.Flush);
    }

    /// <summary>Plan items as comparable strings: a chunk's text, ids and frame budgets, or a silence's length.</summary>
    private static string[] Describe(IEnumerable<PlanItem> plan) =>
    [
        .. plan.Select(item => item switch
        {
            ChunkPlan c => $"chunk \"{c.Text}\" [{string.Join(' ', c.TokenIds)}] eos+{c.FramesAfterEos} max {c.MaxFrames}",
            SilencePlan s => $"silence {s.Samples}",
            _ => throw new InvalidOperationException(item.ToString()),
        }),
    ];
}
