namespace PocketTts.Tokenizer;

/// <summary>SentencePiece's <c>ModelProto.SentencePiece.Type</c>.</summary>
internal enum PieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>SentencePiece's <c>TrainerSpec.ModelType</c>.</summary>
internal enum ModelType
{
    Unigram = 1,
    Bpe = 2,
    Word = 3,
    Char = 4,
}

/// <summary>One vocabulary entry: its text (U+2581 for a space), log-probability and type.</summary>
internal readonly record struct PieceEntry(string Piece, float Score, PieceType Type);

/// <summary>The <c>TrainerSpec</c> fields that encoding and decoding depend on.</summary>
internal sealed record TrainerSpec(ModelType ModelType, bool ByteFallback, bool TreatWhitespaceAsSuffix, string UnkSurface);

/// <summary>
/// <c>NormalizerSpec</c>: the rule name (informational), the compiled rules (empty for <c>identity</c>) and the
/// three whitespace flags. Defaults are the proto2 declared defaults: a flag absent from the file is <c>true</c>.
/// </summary>
internal sealed record NormalizerSpec(string Name, byte[] PrecompiledCharsmap, bool AddDummyPrefix, bool RemoveExtraWhitespaces, bool EscapeWhitespaces);

/// <summary>
/// The parts of a SentencePiece <c>tokenizer.model</c> (a serialised <c>ModelProto</c>, see sentencepiece_model.proto)
/// that the tokenizer uses. Unknown fields are skipped, as protobuf does.
/// </summary>
internal sealed record ModelProto(PieceEntry[] Pieces, TrainerSpec Trainer, NormalizerSpec Normalizer, NormalizerSpec? Denormalizer)
{
    /// <summary>Parses a serialised ModelProto.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ModelProto.</exception>
    public static ModelProto Parse(ReadOnlySpan<byte> data)
    {
        var pieces = new List<PieceEntry>();
        TrainerSpec trainer = ReadTrainerSpec(default);           // an empty message: all defaults
        NormalizerSpec normalizer = ReadNormalizerSpec(default);
        NormalizerSpec? denormalizer = null;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    pieces.Add(ReadPiece(reader.ReadMessage(), pieces.Count));
                    break;
                case 2:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    trainer = ReadTrainerSpec(reader.ReadMessage());
                    break;
                case 3:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    normalizer = ReadNormalizerSpec(reader.ReadMessage());
                    break;
                case 5:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    denormalizer = ReadNormalizerSpec(reader.ReadMessage());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new ModelProto([.. pieces], trainer, normalizer, denormalizer);
    }

    private static PieceEntry ReadPiece(ProtoReader reader, int index)
    {
        string piece = "";
        float score = 0f;
        PieceType type = PieceType.Normal;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    piece = reader.ReadString();
                    break;
                case 2:
                    reader.Expect(field, wire, WireType.Fixed32);
                    score = reader.ReadFloat();
                    break;
                case 3:
                    reader.Expect(field, wire, WireType.Varint);
                    int value = reader.ReadInt32();
                    if (value is < (int)PieceType.Normal or > (int)PieceType.Byte)
                        throw new InvalidDataException($"Piece {index} has unknown type {value} (expected 1 to 6).");
                    type = (PieceType)value;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new PieceEntry(piece, score, type);
    }

    private static TrainerSpec ReadTrainerSpec(ProtoReader reader)
    {
        var modelType = ModelType.Unigram;
        bool byteFallback = false, whitespaceAsSuffix = false;
        string unkSurface = " \u2047 ";
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 3:
                    reader.Expect(field, wire, WireType.Varint);
                    modelType = (ModelType)reader.ReadInt32();
                    break;
                case 24:
                    reader.Expect(field, wire, WireType.Varint);
                    whitespaceAsSuffix = reader.ReadBool();
                    break;
                case 35:
                    reader.Expect(field, wire, WireType.Varint);
                    byteFallback = reader.ReadBool();
                    break;
                case 44:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    unkSurface = reader.ReadString();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new TrainerSpec(modelType, byteFallback, whitespaceAsSuffix, unkSurface);
    }

    private static NormalizerSpec ReadNormalizerSpec(ProtoReader reader)
    {
        string name = "";
        byte[] charsmap = [];
        bool addDummyPrefix = true, removeExtraWhitespaces = true, escapeWhitespaces = true;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    name = reader.ReadString();
                    break;
                case 2:
                    reader.Expect(field, wire, WireType.LengthDelimited);
                    charsmap = reader.ReadBytes().ToArray();
                    break;
                case 3:
                    reader.Expect(field, wire, WireType.Varint);
                    addDummyPrefix = reader.ReadBool();
                    break;
                case 4:
                    reader.Expect(field, wire, WireType.Varint);
                    removeExtraWhitespaces = reader.ReadBool();
                    break;
                case 5:
                    reader.Expect(field, wire, WireType.Varint);
                    escapeWhitespaces = reader.ReadBool();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new NormalizerSpec(name, charsmap, addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces);
    }
}
