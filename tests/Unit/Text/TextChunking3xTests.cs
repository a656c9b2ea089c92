using System.Text.Json;
using PocketTts.Tests.Unit.Tokenizer;
using PocketTts.Text;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Text;

/// <summary>
/// Text preparation and sentence splitting of upstream 3.x (models/text_chunking.py at 14844cf2) against goldens its
/// own functions wrote (scripts/fixtures/make_text_chunking_cases.py): capitalize_first_letter and
/// append_terminal_punctuation on and off, a final comma, colon or dash, closing quotes and brackets, and decimal
/// points that no longer end a sentence.
/// </summary>
public class TextChunking3xTests
{
    private static readonly JsonElement Cases =
        JsonDocument.Parse(File.ReadAllText(TokenizerFixtures.FixturePath("text_chunking_3x_cases.json"))).RootElement;

    public static TheoryData<int> PrepareCases() => Indices("prepare_text_prompt");

    public static TheoryData<int> SplitCases() => Indices("split_into_best_sentences");

    private static TheoryData<int> Indices(string list)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.GetProperty(list).GetArrayLength(); i++)
            data.Add(i);
        return data;
    }

    private static TextRules Rules(JsonElement c) =>
        new(c.GetProperty("pad").GetBoolean(), c.GetProperty("remove_semicolons").GetBoolean())
        {
            CapitalizeFirstLetter = c.GetProperty("capitalize_first_letter").GetBoolean(),
            AppendTerminalPunctuation = c.GetProperty("append_terminal_punctuation").GetBoolean(),
        };

    [Theory]
    [MemberData(nameof(PrepareCases))]
    public void Prepare_matches_upstream(int index)
    {
        JsonElement c = Cases.GetProperty("prepare_text_prompt")[index];

        TextPrompt prompt = TextPrompt.Prepare(c.GetProperty("text").GetString()!, Rules(c));

        prompt.Text.ShouldBe(c.GetProperty("result").GetString());
        prompt.FramesAfterEosGuess.ShouldBe(c.GetProperty("frames_after_eos_guess").GetInt32());
    }

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void Split_matches_upstream(int index)
    {
        JsonElement c = Cases.GetProperty("split_into_best_sentences")[index];

        List<string> chunks = SentenceSplitter.Split(TokenizerFixtures.Tokenizer(c.GetProperty("variant").GetString()!),
            c.GetProperty("text").GetString()!, c.GetProperty("max_tokens").GetInt32(), Rules(c));

        chunks.ShouldBe(TokenizerFixtures.Strings(c.GetProperty("chunks")));
    }

    [Fact]
    public void A_decimal_point_does_not_end_a_sentence()
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer("B");
        const string Text = "Pi is 3.14 and e is 2.71. Both are irrational";
        TextRules current = Rules(Cases.GetProperty("split_into_best_sentences")[0]) with { CapitalizeFirstLetter = true };

        SentenceSplitter.Split(tokenizer, Text, 8, current).ShouldNotContain(chunk => chunk.EndsWith("3.", StringComparison.Ordinal));
    }
}
