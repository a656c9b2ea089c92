using System.Text;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class NormalizerTests
{
    private static readonly Lazy<byte[]> NmtNfkc = new(() =>
        ModelProto.Parse(File.ReadAllBytes(TokenizerFixtures.ModelPath("C"))).Normalizer.PrecompiledCharsmap);

    private static string Normalize(string text, bool addDummyPrefix, bool removeExtra, bool escape = true,
        bool suffix = false, byte[]? charsmap = null, PieceTrie? userDefined = null)
    {
        var spec = new NormalizerSpec("test", charsmap ?? [], addDummyPrefix, removeExtra, escape);
        var output = new List<byte>();
        new Normalizer(spec, suffix, userDefined).Normalize(Encoding.UTF8.GetBytes(text), output);
        return Encoding.UTF8.GetString([.. output]);
    }

    [Theory]
    [InlineData("  a  b ", true, true, "▁a▁b")]
    [InlineData("  a  b ", false, true, "a▁b")]
    [InlineData(" a", true, false, "▁▁a")]
    [InlineData(" ", true, false, "▁▁")]
    [InlineData("   ", true, true, "")]
    [InlineData("a  b", false, false, "a▁▁b")]
    [InlineData("", true, false, "")]
    public void Whitespace_flags(string text, bool addDummyPrefix, bool removeExtra, string expected)
    {
        Normalize(text, addDummyPrefix, removeExtra).ShouldBe(expected);
    }

    [Fact]
    public void Unescaped_spaces_stay_spaces()
    {
        Normalize("a  b ", addDummyPrefix: true, removeExtra: true, escape: false).ShouldBe(" a b");
    }

    [Fact]
    public void Whitespace_as_suffix_puts_the_dummy_space_at_the_end()
    {
        Normalize(" a b ", addDummyPrefix: true, removeExtra: true, suffix: true).ShouldBe("a▁b▁");
    }

    [Fact]
    public void Precompiled_rules_apply_before_whitespace_handling()
    {
        // U+3000 and NBSP become spaces under nmt_nfkc, so they are trimmed and collapsed too.
        Normalize("\u3000ＡＢＣ\u00A0 ﬁ…\u3000", addDummyPrefix: true, removeExtra: true, charsmap: NmtNfkc.Value).ShouldBe("▁ABC▁fi...");
    }

    [Fact]
    public void User_defined_symbols_are_not_normalized()
    {
        var userDefined = new PieceTrie();
        userDefined.Add(Encoding.UTF8.GetBytes("ﬁ"), 7);

        Normalize("ﬁﬂ", addDummyPrefix: false, removeExtra: false, charsmap: NmtNfkc.Value, userDefined: userDefined).ShouldBe("ﬁfl");
    }

    [Fact]
    public void A_malformed_byte_becomes_one_replacement_character()
    {
        var spec = new NormalizerSpec("identity", [], false, false, true);
        var output = new List<byte>();

        new Normalizer(spec, false, null).Normalize([0x61, 0xE2, 0x98, 0x62], output);

        Encoding.UTF8.GetString([.. output]).ShouldBe("a\uFFFD\uFFFDb");
    }

    [Fact]
    public void A_model_without_normalizer_spec_uses_the_defaults()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("▁", "a", "b").Load();

        tokenizer.Encode("  a  b ").Select(tokenizer.IdToPiece).ShouldBe(["▁", "a", "▁", "b"]);
        tokenizer.Decode(tokenizer.Encode("  a  b ")).ShouldBe("a b");
    }

    [Fact]
    public void A_denormalizer_applies_to_decoded_text()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("ﬁ", "▁", "x").Normalizer().Denormalizer(NmtNfkc.Value).Load();

        int[] ids = tokenizer.Encode("ﬁ x");

        ids.Select(tokenizer.IdToPiece).ShouldBe(["ﬁ", "▁", "x"]);
        tokenizer.Decode(ids).ShouldBe("fi x");
    }
}
