using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

/// <summary>Builds small SentencePiece <c>ModelProto</c>s: pieces, then trainer and normalizer settings.</summary>
internal sealed class TestModel
{
    private readonly List<(string Piece, float Score, PieceType Type)> _pieces = [];
    private Action<ProtoWriter>? _trainer;
    private Action<ProtoWriter>? _normalizer;
    private Action<ProtoWriter>? _denormalizer;

    /// <summary>&lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; then the given NORMAL pieces, each scored −1.</summary>
    public static TestModel WithPieces(params string[] pieces)
    {
        var model = new TestModel().Add("<unk>", 0, PieceType.Unknown).Add("<s>", 0, PieceType.Control).Add("</s>", 0, PieceType.Control);
        foreach (string p in pieces)
            model.Add(p, -1f);
        return model;
    }

    public TestModel Add(string piece, float score, PieceType type = PieceType.Normal)
    {
        _pieces.Add((piece, score, type));
        return this;
    }

    public TestModel AddBytePieces()
    {
        for (int b = 0; b < 256; b++)
            Add($"<0x{b:X2}>", 0, PieceType.Byte);
        return this;
    }

    public TestModel Trainer(Action<ProtoWriter> write)
    {
        _trainer = write;
        return this;
    }

    /// <summary>An identity normalizer with the given flags (the defaults of the fixture's variant A).</summary>
    public TestModel Normalizer(bool addDummyPrefix = false, bool removeExtraWhitespaces = false, byte[]? charsmap = null)
    {
        _normalizer = w =>
        {
            w.String(1, charsmap is null ? "identity" : "custom");
            if (charsmap is not null)
                w.Bytes(2, charsmap);
            w.Bool(3, addDummyPrefix).Bool(4, removeExtraWhitespaces).Bool(5, true);
        };
        return this;
    }

    public TestModel Denormalizer(byte[] charsmap)
    {
        _denormalizer = w => w.String(1, "denormalize").Bytes(2, charsmap).Bool(3, false).Bool(4, false).Bool(5, false);
        return this;
    }

    public byte[] ToBytes()
    {
        var w = new ProtoWriter();
        foreach ((string piece, float score, PieceType type) in _pieces)
            w.Message(1, p => p.String(1, piece).Float(2, score).Varint(3, (ulong)type));
        if (_trainer is not null)
            w.Message(2, _trainer);
        if (_normalizer is not null)
            w.Message(3, _normalizer);
        if (_denormalizer is not null)
            w.Message(5, _denormalizer);
        return w.ToArray();
    }

    public SentencePieceTokenizer Load() => SentencePieceTokenizer.FromBytes(ToBytes());
}
