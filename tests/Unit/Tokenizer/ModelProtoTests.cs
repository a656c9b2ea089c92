using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class ModelProtoTests
{
    [Fact]
    public void Reads_the_fixture_model_settings()
    {
        ModelProto a = ModelProto.Parse(File.ReadAllBytes(TokenizerFixtures.ModelPath("A")));
        ModelProto c = ModelProto.Parse(File.ReadAllBytes(TokenizerFixtures.ModelPath("C")));

        a.Pieces.Length.ShouldBe(4000);
        a.Pieces[0].ShouldBe(new PieceEntry("<unk>", 0f, PieceType.Unknown));
        a.Pieces[1].Type.ShouldBe(PieceType.Control);
        a.Pieces[4].ShouldBe(new PieceEntry("<0x00>", 0f, PieceType.Byte));
        a.Pieces[262].Type.ShouldBe(PieceType.Normal);
        a.Pieces[262].Score.ShouldBeLessThan(0f);
        a.Trainer.ShouldBe(new TrainerSpec(ModelType.Unigram, ByteFallback: true, TreatWhitespaceAsSuffix: false, " \u2047 "));
        (a.Normalizer.Name, a.Normalizer.AddDummyPrefix, a.Normalizer.RemoveExtraWhitespaces, a.Normalizer.EscapeWhitespaces)
            .ShouldBe(("identity", false, false, true));
        a.Normalizer.PrecompiledCharsmap.ShouldBeEmpty();
        (c.Normalizer.Name, c.Normalizer.AddDummyPrefix, c.Normalizer.RemoveExtraWhitespaces).ShouldBe(("nmt_nfkc", true, true));
        c.Normalizer.PrecompiledCharsmap.Length.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public void Absent_fields_take_the_proto2_defaults()
    {
        ModelProto model = ModelProto.Parse(new ProtoWriter().Message(1, p => p.String(1, "<unk>")).ToArray());

        model.Pieces.ShouldBe([new PieceEntry("<unk>", 0f, PieceType.Normal)]);
        model.Trainer.ShouldBe(new TrainerSpec(ModelType.Unigram, false, false, " \u2047 "));
        model.Normalizer.ShouldBe(model.Normalizer with { AddDummyPrefix = true, RemoveExtraWhitespaces = true, EscapeWhitespaces = true });
        model.Denormalizer.ShouldBeNull();
    }

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        byte[] data = new ProtoWriter()
            .Message(1, p => p.String(1, "a").Varint(99, 5).Float(2, -2f))
            .Message(4, s => s.Message(1, sample => sample.String(1, "in").String(2, "out")))
            .Message(2, t => t.String(1, "corpus.txt").Varint(4, 4000).Bool(35, true))
            .ToArray();

        ModelProto model = ModelProto.Parse(data);

        model.Pieces.ShouldBe([new PieceEntry("a", -2f, PieceType.Normal)]);
        model.Trainer.ByteFallback.ShouldBeTrue();
    }

    [Fact]
    public void A_known_field_with_the_wrong_wire_type_is_rejected()
    {
        byte[] data = new ProtoWriter().Varint(1, 7).ToArray();   // pieces must be messages

        var e = Should.Throw<InvalidDataException>(() => ModelProto.Parse(data));

        e.Message.ShouldBe("Malformed protobuf data at byte 0: field 1 has wire type Varint, expected LengthDelimited.");
    }

    [Fact]
    public void An_unknown_piece_type_is_rejected()
    {
        byte[] data = new ProtoWriter().Message(1, p => p.String(1, "<unk>").Varint(3, 2)).Message(1, p => p.String(1, "x").Varint(3, 9)).ToArray();

        var e = Should.Throw<InvalidDataException>(() => ModelProto.Parse(data));

        e.Message.ShouldBe("Piece 1 has unknown type 9 (expected 1 to 6).");
    }
}
