using System.Text.Json;
using Microsoft.Extensions.Logging;
using PocketTts.Tests.Unit.Tokenizer;
using PocketTts.Text;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Text;

public class SentenceSplitterTests
{
    public static TheoryData<int> FixtureCases => TokenizerFixtures.Indices("split_into_best_sentences");

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Split_matches_the_reference(int index)
    {
        JsonElement c = TokenizerFixtures.Cases.GetProperty("split_into_best_sentences")[index];
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer(c.GetProperty("variant").GetString()!);

        var rules = new TextRules(c.GetProperty("pad_with_spaces_for_short_inputs").GetBoolean(), c.GetProperty("remove_semicolons").GetBoolean());

        List<string> chunks = SentenceSplitter.Split(tokenizer, c.GetProperty("text").GetString()!, c.GetProperty("max_tokens").GetInt32(), rules);

        chunks.ShouldBe(TokenizerFixtures.Strings(c.GetProperty("chunks")));
        // What is spoken: each chunk prepared again, and the ids of that text.
        List<string> prepared = [.. chunks.Select(chunk => TextPrompt.Prepare(chunk, rules).Text)];
        prepared.ShouldBe(TokenizerFixtures.Strings(c.GetProperty("prepared_chunks")));
        prepared.Select(text => tokenizer.Encode(text)).ShouldBe(
            c.GetProperty("chunk_ids").EnumerateArray().Select(TokenizerFixtures.Ints));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("C")]
    public void Boundary_tokens_are_derived_from_the_tokenizer(string variant)
    {
        JsonElement expected = TokenizerFixtures.Cases.GetProperty("boundary_tokens").GetProperty(variant);
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer(variant);

        tokenizer.Encode(".!...?").ShouldBe(TokenizerFixtures.Ints(expected.GetProperty("encode('.!...?')")));
        SentenceSplitter.EndOfSentenceTokens(tokenizer).ShouldBe(TokenizerFixtures.Ints(expected.GetProperty("end_of_sentence_tokens")));
        SentenceSplitter.FallbackTokens(tokenizer).ShouldBe(TokenizerFixtures.Ints(expected.GetProperty("fallback_tokens")));
    }

    [Fact]
    public void Chunks_of_the_long_end_to_end_text_match_e2e_json()
    {
        const string Text = "Hello there! How are you doing today? I hope the weather is nice where you are... "
            + "Let us see how this text gets split into chunks! Is it working?";

        var rules = new TextRules(PadWithSpaces: false, RemoveSemicolons: false);
        List<string> chunks = SentenceSplitter.Split(TokenizerFixtures.Tokenizer("A"), Text, 15, rules);

        chunks.ShouldBe([
            "Hello there!  How are you doing today?", "I hope the weather is nice where you are...",
            "Let us see how this text gets split into chunks!", "Is it working?"]);
        // e2e.json holds the chunks as spoken: prepared again, which collapses the double space.
        chunks.Select(chunk => TextPrompt.Prepare(chunk, rules).Text).ShouldBe(E2eChunkTexts("e2e_long"));
        SentenceSplitter.Split(TokenizerFixtures.Tokenizer("B"), Text, 15, rules)[0]
            .ShouldBe("Hello there! How are you doing today?");
    }

    [Fact]
    public void An_uncuttable_sentence_over_budget_is_kept_whole_and_logged()
    {
        var logger = new ListLogger();

        List<string> chunks = SentenceSplitter.Split(TokenizerFixtures.Tokenizer("B"),
            "one two three four five six seven eight nine ten", 4, new TextRules(PadWithSpaces: false, RemoveSemicolons: false), logger);

        chunks.ShouldBe(["One two three four five six seven eight nine ten."]);
        logger.Messages.ShouldHaveSingleItem().ShouldStartWith("Chunk has ");
        logger.Messages[0].ShouldContain("(max 4), generation may skip words: 'One two three");
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer("B");

        Should.Throw<ArgumentOutOfRangeException>(() => SentenceSplitter.Split(tokenizer, "Hello.", 0, new TextRules(PadWithSpaces: false, RemoveSemicolons: false)))
            .ParamName.ShouldBe("maxTokens");
        Should.Throw<InvalidInputException>(() => SentenceSplitter.Split(tokenizer, "  \n ", 50, new TextRules(PadWithSpaces: false, RemoveSemicolons: false)))
            .Subject.ShouldBe("text");
    }

    private static IEnumerable<string> E2eChunkTexts(string run)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath("e2e.json")));
        return [.. doc.RootElement.GetProperty("runs").GetProperty(run).GetProperty("chunks").EnumerateArray()
            .Select(chunk => chunk.GetProperty("text").GetString()!)];
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
