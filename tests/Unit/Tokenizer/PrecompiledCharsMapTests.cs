using System.Text;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class PrecompiledCharsMapTests
{
    private static readonly Lazy<PrecompiledCharsMap> NmtNfkc = new(() =>
        new PrecompiledCharsMap(ModelProto.Parse(File.ReadAllBytes(TokenizerFixtures.ModelPath("C"))).Normalizer.PrecompiledCharsmap));

    [Theory]
    [InlineData("ﬁsh", 3, "fi")]          // U+FB01 is three UTF-8 bytes
    [InlineData("ＡＢ", 3, "A")]           // only the first character
    [InlineData("…", 3, "...")]
    [InlineData("\u00A0x", 2, " ")]
    [InlineData("abc", 0, "")]            // no rule
    public void Finds_the_longest_rule_at_the_start(string text, int consumed, string replacement)
    {
        int length = NmtNfkc.Value.Match(Encoding.UTF8.GetBytes(text), out ReadOnlySpan<byte> normalized);

        length.ShouldBe(consumed);
        Encoding.UTF8.GetString(normalized).ShouldBe(replacement);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0 }, "The precompiled normalization rules are broken: 3 bytes, expected a 4-byte trie size followed by data.")]
    [InlineData(new byte[] { 9, 0, 0, 0, 1, 2 }, "The precompiled normalization rules are broken: the trie size 9 exceeds the 2 bytes that follow it.")]
    public void A_broken_blob_is_rejected(byte[] blob, string message)
    {
        Should.Throw<InvalidDataException>(() => new PrecompiledCharsMap(blob)).Message.ShouldBe(message);
    }

    [Fact]
    public void A_broken_blob_in_a_model_names_the_model()
    {
        byte[] model = TestModel.WithPieces("a").Normalizer(charsmap: [1, 0, 0]).ToBytes();

        var e = Should.Throw<InvalidDataException>(() => SentencePieceTokenizer.FromBytes(model));

        e.Message.ShouldStartWith("The tokenizer model is not a valid SentencePiece model: The precompiled normalization rules are broken");
    }
}
