using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class TextTokenizersTests
{
    [Theory]
    [InlineData("tokenizer.json", typeof(JsonTokenizer))]
    [InlineData("tokenizer.model", typeof(SentencePieceTokenizer))]
    public void The_suffix_picks_the_format(string file, Type expected)
    {
        ITextTokenizer tokenizer = TextTokenizers.Load(TokenizerFixtures.FixturePath(file));

        tokenizer.ShouldBeOfType(expected);
        tokenizer.Encode("Hello world!").ShouldBe([1402, 545, 299, 818, 281]);
    }

    [Fact]
    public void A_json_file_that_is_not_a_tokenizer_is_rejected_with_its_name()
    {
        string path = TokenizerFixtures.FixturePath("e2e.json");

        Should.Throw<InvalidDataException>(() => TextTokenizers.Load(path)).Message.ShouldContain(path);
    }
}
