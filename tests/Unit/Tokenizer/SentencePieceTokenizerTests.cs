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

        // A cut inside a field must give InvalidDataException, never an index error or a half-loaded tokenizer.
        // (A cut that falls exactly between two fields leaves a shorter well-formed message; these cuts do not.)
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

public class SentencePieceTokenizerValidationTests
{
    [Fact]
    public void Pieces_may_share_text_across_normal_and_reserved_types()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("<s>").Normalizer().Load();

        tokenizer.Encode("<s>").ShouldBe([3]);
    }

    [Theory]
    [MemberData(nameof(BadModels))]
    public void Invalid_models_are_rejected_with_the_reason(byte[] model, string reason)
    {
        var e = Should.Throw<InvalidDataException>(() => SentencePieceTokenizer.FromBytes(model));

        e.Message.ShouldBe("The tokenizer model is not a valid SentencePiece model: " + reason);
    }

    public static TheoryData<byte[], string> BadModels => new()
    {
        { [], "The model contains no pieces." },
        { new TestModel().Add("a", -1).ToBytes(), "The model has no piece of type UNKNOWN (<unk>)." },
        { TestModel.WithPieces("a").Add("<unk2>", 0, PieceType.Unknown).ToBytes(), "Pieces 0 and 4 are both of type UNKNOWN; a model has exactly one." },
        { TestModel.WithPieces("a", "b", "a").ToBytes(), "Piece 'a' is defined twice (ids 3 and 5)." },
        { TestModel.WithPieces("a", "").ToBytes(), "Piece 4 is empty." },
        { TestModel.WithPieces("a").Add("<0x41>", 0, PieceType.Byte).ToBytes(), "Byte piece '<0x41>' (id 4) is present although byte_fallback is off." },
        { TestModel.WithPieces("a").Add("<0x4a>", 0, PieceType.Byte).Trainer(t => t.Bool(35, true)).ToBytes(),
            "Byte piece '<0x4a>' (id 4) is not of the form <0xNN> with upper-case hex digits." },
        { TestModel.WithPieces("a").Add("<0x00>", 0, PieceType.Byte).Trainer(t => t.Bool(35, true)).ToBytes(),
            "byte_fallback is on but there is no byte piece <0x01>; all 256 are required." },
    };

    [Fact]
    public void Other_model_types_are_not_supported()
    {
        byte[] model = TestModel.WithPieces("a").Trainer(t => t.Varint(3, 2)).ToBytes();

        var e = Should.Throw<NotSupportedException>(() => SentencePieceTokenizer.FromBytes(model));

        e.Message.ShouldBe("SentencePiece model type BPE is not supported; only UNIGRAM models are.");
    }

    [Fact]
    public void A_complete_byte_fallback_model_loads()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("a").AddBytePieces().Trainer(t => t.Bool(35, true)).Normalizer().Load();

        tokenizer.Encode("ab").ShouldBe([3, 4 + 'b']);
        tokenizer.Decode([3, 4 + 'b']).ShouldBe("ab");
    }
}
