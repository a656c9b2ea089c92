using System.Buffers.Binary;

namespace PocketTts.Tokenizer;

/// <summary>Protocol-buffer wire types (the tag's low three bits).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A forward-only reader of the protocol-buffer wire format, just enough to read SentencePiece's
/// <c>ModelProto</c>: tags, varints, fixed32 floats, length-delimited bytes and nested messages.
/// Every malformed input throws <see cref="InvalidDataException"/> naming the absolute byte offset.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;   // offset of _data[0] in the outermost buffer, for error messages
    private int _pos;
    private int _tagPos;                // where the last tag started

    public ProtoReader(ReadOnlySpan<byte> data) : this(data, 0)
    {
    }

    private ProtoReader(ReadOnlySpan<byte> data, int baseOffset)
    {
        _data = data;
        _baseOffset = baseOffset;
        _pos = 0;
        _tagPos = 0;
    }

    /// <summary>Reads the next tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        if (_pos == _data.Length)
        {
            field = 0;
            wireType = default;
            return false;
        }
        int at = _tagPos = _pos;
        ulong tag = ReadVarint();
        field = (int)Math.Min(tag >> 3, int.MaxValue);
        wireType = (WireType)(tag & 7);
        if (field == 0 || tag > uint.MaxValue)
            throw Error(at, $"invalid field number {tag >> 3}");
        if (wireType > WireType.Fixed32)
            throw Error(at, $"invalid wire type {(int)wireType} for field {field}");
        return true;
    }

    public ulong ReadVarint()
    {
        int at = _pos;
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos == _data.Length)
                throw Error(at, "truncated varint");
            byte b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw Error(at, "varint longer than 10 bytes");
    }

    public bool ReadBool() => ReadVarint() != 0;

    /// <summary>An int32 field: negative values are sign-extended to ten bytes on the wire.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(ReadFixed(4));

    public ReadOnlySpan<byte> ReadBytes()
    {
        int at = _pos;
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
            throw Error(at, $"length {length} runs past the end of the data ({_data.Length - _pos} bytes left)");
        ReadOnlySpan<byte> bytes = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return bytes;
    }

    public string ReadString()
    {
        int at = _pos;
        ReadOnlySpan<byte> bytes = ReadBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Error(at, "string is not valid UTF-8");
        }
    }

    /// <summary>A nested message, read by its own reader (offsets in its errors stay absolute).</summary>
    public ProtoReader ReadMessage()
    {
        ReadOnlySpan<byte> bytes = ReadBytes();
        return new ProtoReader(bytes, _baseOffset + _pos - bytes.Length);
    }

    /// <summary>Skips the value of a field this reader's caller does not use.</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: ReadFixed(8); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.Fixed32: ReadFixed(4); break;
            default: throw Error(_pos, $"unsupported wire type {wireType} (protobuf groups are not used by SentencePiece)");
        }
    }

    /// <summary>Throws unless a known field arrived with the wire type its declaration implies.</summary>
    public readonly void Expect(int field, WireType actual, WireType expected)
    {
        if (actual != expected)
            throw Error(_tagPos, $"field {field} has wire type {actual}, expected {expected}");
    }

    private ReadOnlySpan<byte> ReadFixed(int size)
    {
        if (_data.Length - _pos < size)
            throw Error(_pos, $"truncated {size * 8}-bit value");
        ReadOnlySpan<byte> bytes = _data.Slice(_pos, size);
        _pos += size;
        return bytes;
    }

    private readonly InvalidDataException Error(int at, string what) =>
        new($"Malformed protobuf data at byte {_baseOffset + at}: {what}.");

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
