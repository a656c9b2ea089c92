using System.Runtime.InteropServices;
using System.Text;
using PocketTts.IO;

namespace PocketTts.Tokenizer;

/// <summary>
/// A SentencePiece Unigram tokenizer read from a <c>tokenizer.model</c> file, reproducing the ids of
/// <c>SentencePieceProcessor.encode(text, out_type=int)</c> and the text of <c>decode(ids)</c> (sentencepiece 0.1.97)
/// in managed code: the model's own normalizer (identity or a precompiled rule set such as nmt_nfkc, dummy prefix,
/// whitespace clean-up, U+2581 escaping), Viterbi segmentation, byte fallback and detokenisation.
/// </summary>
/// <remarks>Immutable once loaded; <see cref="Encode"/> and <see cref="Decode"/> may be called from any number of threads.</remarks>
public sealed class SentencePieceTokenizer : ITextTokenizer
{
    /// <summary>The largest <c>tokenizer.model</c> read (64 MiB; the shipped models have under 100 kB).</summary>
    public const int MaxFileBytes = 64 << 20;

    private readonly PieceEntry[] _pieces;
    private readonly byte[][] _pieceUtf8;
    private readonly int[] _byteValue;          // the byte a BYTE piece stands for, per id (-1 for other pieces)
    private readonly int[] _byteFallbackIds;    // id of <0xNN> per byte value, when byte fallback is on
    private readonly TrainerSpec _trainer;
    private readonly NormalizerSpec _normalizerSpec;
    private readonly Normalizer _normalizer;
    private readonly Normalizer? _denormalizer;
    private readonly UnigramSegmenter _segmenter;
    private readonly byte[] _unknownSurface;

    private SentencePieceTokenizer(ModelProto model)
    {
        _pieces = model.Pieces;
        _trainer = model.Trainer;
        _normalizerSpec = model.Normalizer;
        if (_trainer.ModelType != ModelType.Unigram)
            throw new NotSupportedException($"SentencePiece model type {_trainer.ModelType.ToString().ToUpperInvariant()} is not supported; only UNIGRAM models are.");
        if (_pieces.Length == 0)
            throw new InvalidDataException("The model contains no pieces.");

        _pieceUtf8 = new byte[_pieces.Length][];
        _byteValue = new int[_pieces.Length];
        _byteFallbackIds = new int[256];
        Array.Fill(_byteFallbackIds, -1);
        var normalPieces = new Dictionary<string, int>(StringComparer.Ordinal);     // NORMAL, USER_DEFINED, UNUSED
        var reservedPieces = new Dictionary<string, int>(StringComparer.Ordinal);   // UNKNOWN, CONTROL, BYTE
        var userDefined = new PieceTrie();
        int unknownId = -1;
        for (int id = 0; id < _pieces.Length; id++)
        {
            PieceEntry p = _pieces[id];
            if (p.Piece.Length == 0)
                throw new InvalidDataException($"Piece {id} is empty.");
            bool isNormal = p.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused;
            if (!(isNormal ? normalPieces : reservedPieces).TryAdd(p.Piece, id))
                throw new InvalidDataException($"Piece '{p.Piece}' is defined twice (ids {(isNormal ? normalPieces : reservedPieces)[p.Piece]} and {id}).");
            _pieceUtf8[id] = Encoding.UTF8.GetBytes(p.Piece);
            _byteValue[id] = -1;
            if (p.Type == PieceType.UserDefined)
                userDefined.Add(_pieceUtf8[id], id);
            if (p.Type == PieceType.Unknown)
            {
                if (unknownId >= 0)
                    throw new InvalidDataException($"Pieces {unknownId} and {id} are both of type UNKNOWN; a model has exactly one.");
                unknownId = id;
            }
            if (p.Type == PieceType.Byte)
            {
                if (!_trainer.ByteFallback)
                    throw new InvalidDataException($"Byte piece '{p.Piece}' (id {id}) is present although byte_fallback is off.");
                int b = ParseBytePiece(p.Piece);
                if (b < 0)
                    throw new InvalidDataException($"Byte piece '{p.Piece}' (id {id}) is not of the form <0xNN> with upper-case hex digits.");
                _byteValue[id] = b;
                _byteFallbackIds[b] = id;
            }
        }
        if (unknownId < 0)
            throw new InvalidDataException("The model has no piece of type UNKNOWN (<unk>).");
        if (_trainer.ByteFallback && Array.IndexOf(_byteFallbackIds, -1) is int missing and >= 0)
            throw new InvalidDataException($"byte_fallback is on but there is no byte piece <0x{missing:X2}>; all 256 are required.");

        _normalizer = new Normalizer(_normalizerSpec, _trainer.TreatWhitespaceAsSuffix, userDefined);
        if (model.Denormalizer is { PrecompiledCharsmap.Length: > 0 } denormalizer)
            _denormalizer = new Normalizer(denormalizer, whitespaceAsSuffix: false, userDefined: null);
        _segmenter = new UnigramSegmenter(_pieces, unknownId);
        _unknownSurface = Encoding.UTF8.GetBytes(_trainer.UnkSurface);
    }

    /// <summary>Loads a <c>tokenizer.model</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a SentencePiece model, not a regular file, or
    /// larger than <see cref="MaxFileBytes"/>; the message says what is wrong.</exception>
    /// <exception cref="NotSupportedException">The model is a valid SentencePiece model of another type than Unigram (BPE, word, char).</exception>
    public static SentencePieceTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Create(InputFile.ReadAllBytes(path, MaxFileBytes, "tokenizer model"), $"'{path}'");
    }

    /// <summary>Loads a tokenizer from the bytes of a <c>tokenizer.model</c> file.</summary>
    /// <exception cref="InvalidDataException">The bytes are truncated, corrupt or not a SentencePiece model.</exception>
    /// <exception cref="NotSupportedException">The model is not a Unigram model.</exception>
    public static SentencePieceTokenizer FromBytes(ReadOnlySpan<byte> model) => Create(model, "The tokenizer model");

    private static SentencePieceTokenizer Create(ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            return new SentencePieceTokenizer(ModelProto.Parse(bytes));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is not a valid SentencePiece model: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public int VocabSize => _pieces.Length;

    /// <summary>The normalizer rule name recorded in the model, e.g. <c>identity</c> or <c>nmt_nfkc</c>.</summary>
    internal string NormalizerName => _normalizerSpec.Name;

    /// <summary>The piece text of an id, as <c>id_to_piece</c> returns it.</summary>
    internal string IdToPiece(int id)
    {
        CheckId(id);
        return _pieces[id].Piece;
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return [];
        var normalized = new List<byte>(text.Length * 3);
        _normalizer.Normalize(Encoding.UTF8.GetBytes(text), normalized);
        var segments = new List<Segment>();
        ReadOnlySpan<byte> normalizedSpan = CollectionsMarshal.AsSpan(normalized);
        _segmenter.Encode(normalizedSpan, segments);

        // PopulateSentencePieceText: an unknown piece becomes its UTF-8 bytes with byte fallback, otherwise a run
        // of unknown pieces becomes one <unk>.
        var ids = new List<int>(segments.Count);
        bool previousUnknown = false;
        foreach (Segment s in segments)
        {
            bool unknown = _pieces[s.Id].Type == PieceType.Unknown;
            if (unknown && _trainer.ByteFallback)
            {
                foreach (byte b in normalizedSpan[s.Start..s.End])
                    ids.Add(_byteFallbackIds[b]);
            }
            else if (!(unknown && previousUnknown))
            {
                ids.Add(s.Id);
            }
            previousUnknown = unknown;
        }
        return [.. ids];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside 0 … <see cref="VocabSize"/> − 1.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new List<byte>(ids.Length * 4);
        var pendingBytes = new List<byte>();
        bool expectBosSpace = true, bosSpaceSeen = false;
        foreach (int id in ids)
        {
            CheckId(id);
            if (_byteValue[id] >= 0)
            {
                pendingBytes.Add((byte)_byteValue[id]);
                continue;
            }
            AppendBytePieces(pendingBytes, text);
            if (bosSpaceSeen || text.Count > 0)
                expectBosSpace = false;
            bosSpaceSeen = AppendPiece(id, expectBosSpace, text);
        }
        AppendBytePieces(pendingBytes, text);

        if (_denormalizer is not null)
        {
            var denormalized = new List<byte>(text.Count);
            _denormalizer.Normalize(CollectionsMarshal.AsSpan(text), denormalized);
            text = denormalized;
        }
        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(text));
    }

    /// <summary>
    /// The surface of a non-byte piece (DecodeSentencePiece in sentencepiece_processor.cc): nothing for a control
    /// piece, the unknown surface (" ⁇ ") for &lt;unk&gt;, otherwise the piece with U+2581 turned into spaces. While no
    /// text has been produced, a leading U+2581 is dropped when the model adds a dummy prefix or removes extra
    /// whitespace. Returns true when it dropped one and, extra whitespace being kept, no later one may be dropped.
    /// </summary>
    private bool AppendPiece(int id, bool expectBosSpace, List<byte> text)
    {
        switch (_pieces[id].Type)
        {
            case PieceType.Control:
                return false;
            case PieceType.Unknown:
                text.AddRange(_unknownSurface);
                return false;
        }
        ReadOnlySpan<byte> piece = _pieceUtf8[id];
        bool bosSpaceSeen = false;
        if (expectBosSpace && (_normalizerSpec.AddDummyPrefix || _normalizerSpec.RemoveExtraWhitespaces) && piece.StartsWith(Utf8Chars.SpaceSymbol))
        {
            piece = piece[Utf8Chars.SpaceSymbol.Length..];
            // When extra whitespace is removed, every leading space piece is dropped, not only the first.
            bosSpaceSeen = !_normalizerSpec.RemoveExtraWhitespaces;
        }
        while (!piece.IsEmpty)
        {
            int at = piece.IndexOf(Utf8Chars.SpaceSymbol);
            if (at < 0)
            {
                text.AddRange(piece);
                break;
            }
            text.AddRange(piece[..at]);
            text.Add((byte)' ');
            piece = piece[(at + Utf8Chars.SpaceSymbol.Length)..];
        }
        return bosSpaceSeen;
    }

    /// <summary>Appends a run of byte pieces as UTF-8 text, each malformed byte as U+FFFD, and clears the run.</summary>
    private static void AppendBytePieces(List<byte> bytes, List<byte> text)
    {
        ReadOnlySpan<byte> rest = CollectionsMarshal.AsSpan(bytes);
        while (!rest.IsEmpty)
        {
            int length = Utf8Chars.ValidCharLength(rest);
            if (length == 0)
            {
                text.AddRange(Utf8Chars.ReplacementCharacter);
                length = 1;
            }
            else
            {
                text.AddRange(rest[..length]);
            }
            rest = rest[length..];
        }
        bytes.Clear();
    }

    /// <summary>The byte of a <c>&lt;0xNN&gt;</c> piece (upper-case hex, as SentencePiece writes them), or -1.</summary>
    private static int ParseBytePiece(string piece)
    {
        if (piece.Length != 6 || !piece.StartsWith("<0x", StringComparison.Ordinal) || piece[5] != '>')
            return -1;
        int hi = HexDigit(piece[3]), lo = HexDigit(piece[4]);
        return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;

        static int HexDigit(char c) => c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_pieces.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is outside the vocabulary (0 to {_pieces.Length - 1}).");
    }
}
