using System.Runtime.InteropServices;
using System.Text;
using PocketTts.IO;

namespace PocketTts.Tokenizer;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> tokenizer of the family that conversions of SentencePiece Unigram models
/// produce, reproducing the ids of the <c>tokenizers</c> library's <c>encode(text, add_special_tokens=False)</c> and the
/// text of <c>decode(ids)</c> in managed code: a Unigram model (with or without byte fallback), no normaliser, a
/// Metaspace pre-tokenizer (any prepend scheme, split or not) and added tokens matched before the model.
/// </summary>
/// <remarks>
/// Converted from the same SentencePiece model, it gives the SentencePiece ids on ordinary text; it differs where
/// the library does (a special-token or <c>&lt;0xNN&gt;</c> literal in the text, a leading U+2581 with a dummy prefix,
/// and score ties, which the library breaks with double sums where SentencePiece uses float ones).
/// Immutable once loaded; <see cref="Encode"/> and <see cref="Decode"/> may be called from any number of threads.
/// </remarks>
public sealed class JsonTokenizer : ITextTokenizer
{
    private readonly TokenizerJsonSpec _spec;
    private readonly Dictionary<string, int> _ids;
    private readonly int[] _byteFallbackIds;       // id of <0xNN> per byte value, -1 where the vocabulary lacks it
    private readonly bool[] _skippedInDecode;      // the special added tokens
    private readonly AddedTokenSplitter _addedTokens;
    private readonly UnigramSegmenter _segmenter;

    private JsonTokenizer(TokenizerJsonSpec spec)
    {
        _spec = spec;
        _ids = new Dictionary<string, int>(spec.Pieces.Length, StringComparer.Ordinal);
        for (int id = 0; id < spec.Pieces.Length; id++)
            _ids.Add(spec.Pieces[id], id);
        _byteFallbackIds = new int[256];
        for (int b = 0; b < 256; b++)
            _byteFallbackIds[b] = _ids.GetValueOrDefault($"<0x{b:X2}>", -1);
        _skippedInDecode = new bool[spec.Pieces.Length];
        foreach (AddedToken token in spec.AddedTokens)
            _skippedInDecode[token.Id] |= token.Special;
        _addedTokens = new AddedTokenSplitter(spec.AddedTokens);
        _segmenter = UnigramSegmenter.ForTokenizerJson([.. spec.Pieces.Select(Encoding.UTF8.GetBytes)], spec.Scores, spec.UnknownId);
    }

    /// <summary>Loads a <c>tokenizer.json</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is too large, not a regular file, not JSON or not a well-formed tokenizer.json; the message says what is wrong.</exception>
    /// <exception cref="NotSupportedException">A component is outside the supported family (another model type, a normaliser that changes text, a pre-tokenizer other than Metaspace, …); the message names it.</exception>
    public static JsonTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Create(InputFile.ReadAllBytes(path, TokenizerJsonReader.MaxFileBytes, "tokenizer.json"), $"'{path}'");
    }

    /// <summary>Loads a tokenizer from the bytes of a <c>tokenizer.json</c> file.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">A component is outside the supported family.</exception>
    public static JsonTokenizer FromBytes(ReadOnlyMemory<byte> json) => Create(json, "The tokenizer.json");

    private static JsonTokenizer Create(ReadOnlyMemory<byte> json, string source)
    {
        try
        {
            return new JsonTokenizer(TokenizerJsonReader.Read(json));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is not a valid tokenizer.json: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{source}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public int VocabSize => _spec.Pieces.Length;

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var ids = new List<int>();
        var preTokens = new List<byte[]>();
        var segments = new List<Segment>();
        foreach (TextRun run in _addedTokens.Split(utf8))
        {
            if (run.AddedTokenId >= 0)
            {
                ids.Add(run.AddedTokenId);
                continue;
            }
            preTokens.Clear();
            _spec.PreTokenizer.PreTokenize(utf8.AsSpan(run.Start..run.End), run.Start == 0, preTokens);
            foreach (byte[] preToken in preTokens)
            {
                _segmenter.Encode(preToken, segments);
                AddIds(preToken, segments, ids);
            }
        }
        return [.. ids];
    }

    /// <summary>
    /// The library's Unigram <c>tokenize</c>: adjacent unknown pieces fuse into one string, which is looked up in the
    /// vocabulary, else spelled as byte pieces when byte fallback is on and all of them exist, else the unknown id.
    /// </summary>
    private void AddIds(ReadOnlySpan<byte> text, List<Segment> segments, List<int> ids)
    {
        ReadOnlySpan<Segment> all = CollectionsMarshal.AsSpan(segments);
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Id != _spec.UnknownId)
            {
                ids.Add(all[i].Id);
                continue;
            }
            int start = all[i].Start;
            while (i + 1 < all.Length && all[i + 1].Id == _spec.UnknownId)
                i++;
            ReadOnlySpan<byte> unknown = text[start..all[i].End];
            if (_ids.TryGetValue(Encoding.UTF8.GetString(unknown), out int id))
                ids.Add(id);
            else if (_spec.ByteFallback && AllBytesHavePieces(unknown))
            {
                foreach (byte b in unknown)
                    ids.Add(_byteFallbackIds[b]);
            }
            else
                ids.Add(_spec.UnknownId);
        }
    }

    private bool AllBytesHavePieces(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (_byteFallbackIds[b] < 0)
                return false;
        }
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>Special added tokens are left out, as the library does by default.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside 0 … <see cref="VocabSize"/> − 1.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var tokens = new List<string>(ids.Length);
        foreach (int id in ids)
        {
            CheckId(id);
            if (!_skippedInDecode[id])
                tokens.Add(_spec.Pieces[id]);
        }
        return _spec.Decoder.Decode(tokens);
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_spec.Pieces.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is outside the vocabulary (0 to {_spec.Pieces.Length - 1}).");
    }
}
