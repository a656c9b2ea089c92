using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class ProtoReaderTests
{
    [Fact]
    public void Reads_tags_and_values()
    {
        byte[] data = new ProtoWriter().Varint(3, 300).Float(2, -1.5f).String(1, "▁x").Varint(40, ulong.MaxValue).ToArray();
        var reader = new ProtoReader(data);

        reader.TryReadTag(out int field, out WireType wire).ShouldBeTrue();
        (field, wire, reader.ReadVarint()).ShouldBe((3, WireType.Varint, 300UL));
        reader.TryReadTag(out field, out wire).ShouldBeTrue();
        (field, wire, reader.ReadFloat()).ShouldBe((2, WireType.Fixed32, -1.5f));
        reader.TryReadTag(out field, out wire).ShouldBeTrue();
        (field, wire, reader.ReadString()).ShouldBe((1, WireType.LengthDelimited, "▁x"));
        reader.TryReadTag(out field, out _).ShouldBeTrue();
        (field, reader.ReadInt32()).ShouldBe((40, -1));   // a negative int32 is ten bytes of sign extension
        reader.TryReadTag(out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void Skips_every_scalar_wire_type()
    {
        byte[] data = [0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1A, 0x02, 9, 9, 0x25, 1, 2, 3, 4, 0x28, 0x07];
        var reader = new ProtoReader(data);

        for (int i = 0; i < 4; i++)
        {
            reader.TryReadTag(out _, out WireType wire).ShouldBeTrue();
            reader.Skip(wire);
        }
        reader.TryReadTag(out int field, out _).ShouldBeTrue();
        (field, reader.ReadVarint()).ShouldBe((5, 7UL));
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x80 }, "Malformed protobuf data at byte 1: truncated varint.")]
    [InlineData(new byte[] { 0x80 }, "Malformed protobuf data at byte 0: truncated varint.")]
    [InlineData(new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "Malformed protobuf data at byte 1: varint longer than 10 bytes.")]
    [InlineData(new byte[] { 0x0F, 0x00 }, "Malformed protobuf data at byte 0: invalid wire type 7 for field 1.")]
    [InlineData(new byte[] { 0x0E, 0x00 }, "Malformed protobuf data at byte 0: invalid wire type 6 for field 1.")]
    [InlineData(new byte[] { 0x00, 0x00 }, "Malformed protobuf data at byte 0: invalid field number 0.")]
    [InlineData(new byte[] { 0x0B }, "Malformed protobuf data at byte 1: unsupported wire type StartGroup (protobuf groups are not used by SentencePiece).")]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 }, "Malformed protobuf data at byte 1: length 5 runs past the end of the data (1 bytes left).")]
    [InlineData(new byte[] { 0x0D, 0x01, 0x02 }, "Malformed protobuf data at byte 1: truncated 32-bit value.")]
    [InlineData(new byte[] { 0x09, 0x01 }, "Malformed protobuf data at byte 1: truncated 64-bit value.")]
    public void Malformed_input_throws_with_the_offset(byte[] data, string message)
    {
        var e = Should.Throw<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(data);
            while (reader.TryReadTag(out _, out WireType wire))
                reader.Skip(wire);
        });

        e.Message.ShouldBe(message);
    }

    [Fact]
    public void Offsets_inside_nested_messages_are_absolute()
    {
        byte[] data = [0x08, 0x01, 0x12, 0x02, 0x08, 0x80];   // field 2 holds a message whose varint is truncated

        var e = Should.Throw<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(data);
            reader.TryReadTag(out _, out _);
            reader.ReadVarint();
            reader.TryReadTag(out _, out _);
            ProtoReader inner = reader.ReadMessage();
            inner.TryReadTag(out _, out _);
            inner.ReadVarint();
        });

        e.Message.ShouldBe("Malformed protobuf data at byte 5: truncated varint.");
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_rejected()
    {
        byte[] data = new ProtoWriter().Bytes(1, [0x61, 0xFF]).ToArray();

        var e = Should.Throw<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(data);
            reader.TryReadTag(out _, out _);
            reader.ReadString();
        });

        e.Message.ShouldBe("Malformed protobuf data at byte 1: string is not valid UTF-8.");
    }
}
