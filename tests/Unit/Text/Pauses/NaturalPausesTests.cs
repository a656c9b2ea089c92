using PocketTts.Text.Pauses;

namespace PocketTts.Tests.Unit.Text.Pauses;

public class NaturalPausesTests
{
    private static readonly PauseOptions Options = new() { NaturalPauses = true };
    private static readonly TextSegment Comma = new PauseSegment(TimeSpan.FromMilliseconds(150));
    private static readonly TextSegment Sentence = new PauseSegment(TimeSpan.FromMilliseconds(250));
    private static readonly TextSegment Ellipsis = new PauseSegment(TimeSpan.FromMilliseconds(300));

    private static SpeechSegment S(string text) => new SpeechSegment(text);

    private static IReadOnlyList<TextSegment> Split(string text, PauseOptions? options = null) => NaturalPauses.Split(text, options ?? Options);

    [Fact]
    public void Pauses_after_sentence_ends_ellipses_and_commas() =>
        Split("Hello, world. How are you? Fine... thanks; really: yes! Good.")
            .ShouldBe([S("Hello,"), Comma, S("world."), Sentence, S("How are you?"), Sentence, S("Fine..."), Ellipsis,
                S("thanks;"), Comma, S("really:"), Comma, S("yes!"), Sentence, S("Good.")]);

    [Theory]
    [InlineData("Wait… what")]
    [InlineData("Wait… \"what\"")]
    public void A_unicode_ellipsis_pauses(string text) => Split(text)[1].ShouldBe(Ellipsis);

    [Theory]
    [InlineData("It costs 1,234 dollars.")]
    [InlineData("Pi is 3.14 or so.")]
    [InlineData("Meet at 10:30 today.")]
    [InlineData("Dr. Smith met Mr. Jones and Mrs. Brown.")]
    [InlineData("See St. Louis, e.g. the arch.")]
    [InlineData("The U.S. Army arrived.")]
    [InlineData("J. R. R. Tolkien wrote it.")]
    [InlineData("Room No. 5 is free.")]
    [InlineData("It weighs approx. five kilos.")]
    [InlineData("Il est venu, z.B. hier.")]
    [InlineData("La Sra. García llegó.")]
    [InlineData("Done.")]
    [InlineData("...and then")]
    public void Numbers_and_abbreviations_are_not_sentence_ends(string text) =>
        Split(text).ShouldNotContain(Sentence);

    [Fact]
    public void A_capitalised_no_is_a_sentence_end_unless_a_number_follows() =>
        Split("I said No. Then left.").ShouldBe([S("I said No."), Sentence, S("Then left.")]);

    [Fact]
    public void Closing_quotes_and_brackets_stay_with_their_mark() =>
        Split("He said \"stop.\" Then (quietly, slowly) left.")
            .ShouldBe([S("He said \"stop.\""), Sentence, S("Then (quietly,"), Comma, S("slowly) left.")]);

    [Fact]
    public void French_spacing_before_marks_still_pauses() =>
        Split("Quoi ? Non ; jamais !").ShouldBe([S("Quoi ?"), Sentence, S("Non ;"), Comma, S("jamais !")]);

    [Fact]
    public void No_pause_at_the_ends_or_around_pieces_without_words()
    {
        Split("Hello. ").ShouldBe([S("Hello.")]);
        Split("Hello. ...").ShouldBe([S("Hello. ...")]);
        Split(". , Hello").ShouldBe([S(". , Hello")]);
        Split("  ").ShouldBeEmpty();
    }

    [Fact]
    public void A_zero_length_disables_that_pause_only() =>
        Split("One, two. Three", Options with { CommaPause = TimeSpan.Zero }).ShouldBe([S("One, two."), Sentence, S("Three")]);

    [Fact]
    public void Disabled_natural_pauses_leave_one_segment() =>
        Split("  One, two. Three... four  ", Options with { NaturalPauses = false }).ShouldBe([S("One, two. Three... four")]);

    [Fact]
    public void Configured_lengths_are_used()
    {
        var options = Options with { CommaPause = TimeSpan.FromMilliseconds(40), SentencePause = TimeSpan.FromSeconds(1) };
        Split("a, b. C", options).ShouldBe([S("a,"), new PauseSegment(TimeSpan.FromMilliseconds(40)), S("b."), new PauseSegment(TimeSpan.FromSeconds(1)), S("C")]);
    }

    [Fact]
    public void Insert_splits_speech_and_merges_with_explicit_pauses()
    {
        IReadOnlyList<TextSegment> marked = PauseMarkup.Parse("[pause:1s] Hello, world. [pause:2s] Bye... now", Options);
        NaturalPauses.Insert(marked, Options).ShouldBe([
            new PauseSegment(TimeSpan.FromSeconds(1)), S("Hello,"), Comma, S("world."), new PauseSegment(TimeSpan.FromSeconds(2)),
            S("Bye..."), Ellipsis, S("now")]);
    }

    public static TheoryData<string> Corpus => new(CorpusSentences);

    private static readonly string[] CorpusSentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Hello, world! How are you today? I'm fine, thanks.",
        "Well... I don't know; maybe: yes, maybe no.",
        "Dr. Smith lives at 221B Baker St. in London, England.",
        "It cost $1,234.56, which is approx. 3.5% more than in 2019.",
        "\"Stop!\" she said. \"Why?\" he asked.",
        "Numbers like 1,000,000 and 3.14159 are not pauses.",
        "Mr. and Mrs. Jones, e.g. the neighbours, came at 10:30 a.m. sharp.",
        "Wait… what… really?!",
        "One. Two. Three. Four, five, six; seven: eight.",
        "  Leading and trailing spaces , odd  spacing ;and marks .  ",
        "(Parenthetical, remarks.) [Brackets, too.] {Braces!}",
        "« Bonjour », dit-il. « Ça va ? » Oui ; très bien !",
        "Der Zug kommt z.B. um 8.15 Uhr, bzw. später. Nr. 5 fährt nicht.",
        "¿Qué tal? ¡Muy bien! La Sra. López, por favor.",
        "U.S.A. and U.K. are countries. J. K. Rowling wrote books.",
        "Tab\tseparated,\twords.\nNew line, here.",
        "...",
        ",,,",
        "a",
        "Ends with comma,",
        "No punctuation at all",
        "Version 2.0. Released today!",
        "Why?!? Because... reasons. OK.",
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Splitting_keeps_every_word_in_order(string text)
    {
        IReadOnlyList<TextSegment> segments = Split(text);
        string[] words = segments.OfType<SpeechSegment>().SelectMany(s => s.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToArray();
        words.ShouldBe(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        AssertWellFormed(segments);
    }

    [Fact]
    public void Splitting_keeps_every_word_in_order_over_many_combinations()
    {
        var random = new Random(1234);
        for (int i = 0; i < 500; i++)
        {
            string text = string.Join(random.Next(3) switch { 0 => " ", 1 => "  ", _ => "\n" },
                Enumerable.Range(0, random.Next(1, 6)).Select(_ => CorpusSentences[random.Next(CorpusSentences.Length)]));
            IReadOnlyList<TextSegment> segments = Split(text);
            string[] words = segments.OfType<SpeechSegment>().SelectMany(s => s.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToArray();
            words.ShouldBe(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), text);
            AssertWellFormed(segments);
        }
    }

    /// <summary>Speech first and last, alternating with pauses; once cut, every piece holds a word.</summary>
    private static void AssertWellFormed(IReadOnlyList<TextSegment> segments)
    {
        if (segments.Count <= 1)
        {
            segments.ShouldAllBe(s => s is SpeechSegment);
            return;
        }
        segments[0].ShouldBeOfType<SpeechSegment>();
        segments[^1].ShouldBeOfType<SpeechSegment>();
        for (int i = 0; i < segments.Count; i++)
        {
            if (i % 2 == 0)
            {
                string text = segments[i].ShouldBeOfType<SpeechSegment>().Text;
                text.ShouldBe(text.Trim());
                text.Any(char.IsLetterOrDigit).ShouldBeTrue();
            }
            else
            {
                segments[i].ShouldBeOfType<PauseSegment>().Duration.ShouldBeGreaterThan(TimeSpan.Zero);
            }
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Should.Throw<ArgumentNullException>(() => NaturalPauses.Split(null!, Options));
        Should.Throw<ArgumentNullException>(() => NaturalPauses.Insert(null!, Options));
        Should.Throw<InvalidInputException>(() => NaturalPauses.Split("a", Options with { CommaPause = TimeSpan.FromSeconds(-1) })).Subject.ShouldBe("CommaPause");
    }
}
