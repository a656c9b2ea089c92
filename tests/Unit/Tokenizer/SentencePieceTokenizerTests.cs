using System.Text.Json;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class SentencePieceTokenizerTests
{
    public static TheoryData<int, string> EncodeCases => TokenizerFixtures.IndexAndVariant("encode");

    [Theory]
    [MemberData(nameof(EncodeCases))]
    public void Encode_matches_sentencepiece(int index, string variant)
    {
        JsonElement c = TokenizerFixtures.Cases.GetProperty("encode")[index];
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer(variant);

        int[] ids = tokenizer.Encode(c.GetProperty("text").GetString()!);

        ids.ShouldBe(TokenizerFixtures.Ints(c.GetProperty("ids").GetProperty(variant)));
        ids.Select(tokenizer.IdToPiece).ShouldBe(TokenizerFixtures.Strings(c.GetProperty("pieces").GetProperty(variant)));
    }

    [Theory]
    [MemberData(nameof(EncodeCases))]
    public void Decode_matches_sentencepiece(int index, string variant)
    {
        JsonElement c = TokenizerFixtures.Cases.GetProperty("encode")[index];
        int[] ids = TokenizerFixtures.Ints(c.GetProperty("ids").GetProperty(variant));

        string decoded = TokenizerFixtures.Tokenizer(variant).Decode(ids);

        decoded.ShouldBe(c.GetProperty("decoded").GetProperty(variant).GetString());
    }

    [Theory]
    [InlineData("A", "identity", 4000)]
    [InlineData("B", "identity", 4000)]
    [InlineData("C", "nmt_nfkc", 4000)]
    public void Loads_the_model_settings(string variant, string normalizerName, int vocabSize)
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer(variant);

        tokenizer.NormalizerName.ShouldBe(normalizerName);
        tokenizer.VocabSize.ShouldBe(vocabSize);
        tokenizer.IdToPiece(0).ShouldBe("<unk>");
        tokenizer.IdToPiece(4).ShouldBe("<0x00>");
    }

    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("C")]
    public void Empty_text_encodes_to_no_ids(string variant)
    {
        TokenizerFixtures.Tokenizer(variant).Encode("").ShouldBeEmpty();
        TokenizerFixtures.Tokenizer(variant).Decode([]).ShouldBe("");
    }

    [Theory]
    [InlineData("A", "The quick brown fox, 42 times; then: stop!")]
    [InlineData("B", "The quick brown fox, 42 times; then: stop!")]
    [InlineData("C", "The quick brown fox, 42 times; then: stop!")]
    [InlineData("A", "Unknown scripts round trip by bytes: Ωμέγα ☃ 𝄞 漢字")]
    [InlineData("B", "Unknown scripts round trip by bytes: Ωμέγα ☃ 𝄞 漢字")]
    public void Decode_inverts_encode_on_plain_text(string variant, string text)
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer(variant);

        tokenizer.Decode(tokenizer.Encode(text)).ShouldBe(text);
    }

    [Fact]
    public void Byte_fallback_spells_unknown_characters_as_utf8_bytes()
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer("A");

        int[] ids = tokenizer.Encode("☃");   // E2 98 83, not in the fixture vocabulary

        ids.Select(tokenizer.IdToPiece).ShouldBe(["<0xE2>", "<0x98>", "<0x83>"]);
    }

    [Fact]
    public void Malformed_byte_pieces_decode_to_replacement_characters()
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer("A");
        const int ByteBase = 4;   // <0x00> is id 4

        // A lone continuation byte, then a truncated three-byte sequence followed by ASCII.
        string text = tokenizer.Decode([ByteBase + 0x98, ByteBase + 0xE2, ByteBase + 0x98, ByteBase + 'a']);

        text.ShouldBe("\uFFFD\uFFFD\uFFFDa");
    }

    [Fact]
    public void Decode_rejects_ids_outside_the_vocabulary()
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer("A");

        var e = Should.Throw<ArgumentOutOfRangeException>(() => tokenizer.Decode([5, 4000]));

        e.Message.ShouldContain("Token id 4000 is outside the vocabulary (0 to 3999)");
    }

    [Fact]
    public void Control_pieces_decode_to_nothing_and_unk_to_its_surface()
    {
        SentencePieceTokenizer tokenizer = TokenizerFixtures.Tokenizer("A");

        tokenizer.Decode([1, 0, 2, 3]).ShouldBe(" \u2047 ");
    }

    [Fact]
    public void Truncated_model_file_is_rejected_with_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.model");
        byte[] model = File.ReadAllBytes(TokenizerFixtures.ModelPath("A"));
        File.WriteAllBytes(path, model[..(model.Length / 2)]);
        try
        {
            var e = Should.Throw<InvalidDataException>(() => SentencePieceTokenizer.Load(path));

            e.Message.ShouldStartWith($"'{path}' is not a valid SentencePiece model: Malformed protobuf data at byte");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_truncation_of_a_model_fails_cleanly()
    {
        byte[] model = File.ReadAllBytes(TokenizerFixtures.ModelPath("C"));

        // Cutting anywhere must give InvalidDataException (never an index error or a half-loaded tokenizer), except
        // at a field boundary, where the shorter message is valid protobuf but then lacks required pieces.
        for (int length = 0; length < model.Length; length += 997)
        {
            try
            {
                SentencePieceTokenizer.FromBytes(model.AsSpan(0, length));
            }
            catch (InvalidDataException)
            {
                continue;
            }
            throw new ShouldAssertException($"A model cut to {length} bytes loaded without error.");
        }
    }

    [Fact]
    public void Garbage_bytes_are_rejected()
    {
        var e = Should.Throw<InvalidDataException>(() => SentencePieceTokenizer.FromBytes("not a model"u8));

        e.Message.ShouldStartWith("The tokenizer model is not a valid SentencePiece model:");
    }
}
