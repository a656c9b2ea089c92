using System.Text;
using System.Text.Json;

namespace PocketTts.Tokenizer;

/// <summary>
/// Reads a Hugging Face tokenizer.json of the family that conversions of SentencePiece Unigram models produce, treating
/// it as untrusted input: malformed JSON, wrong types, out-of-range ids and oversized content give an
/// <see cref="InvalidDataException"/> naming the place, and components outside the family a
/// <see cref="NotSupportedException"/> naming the component. The <c>post_processor</c> is not read: encoding adds no
/// special tokens (as SentencePiece's <c>encode</c>, and as the library with <c>add_special_tokens=False</c>).
/// </summary>
internal static class TokenizerJsonReader
{
    /// <summary>The largest file accepted; real ones are a few megabytes at most.</summary>
    public const int MaxFileBytes = 64 << 20;

    /// <summary>The most vocabulary entries accepted.</summary>
    public const int MaxPieces = 1 << 20;

    /// <summary>The longest piece in UTF-8 bytes; it bounds the cost of the Viterbi search per byte of text.</summary>
    public const int MaxPieceBytes = 256;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Reads the bytes of a tokenizer.json.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">A component is outside the supported family.</exception>
    public static TokenizerJsonSpec Read(ReadOnlyMemory<byte> json)
    {
        if (json.Length > MaxFileBytes)
            throw new InvalidDataException($"The file has {json.Length} bytes; at most {MaxFileBytes} are accepted.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The file is not valid JSON: {e.Message}", e);
        }
        using (document)
            return Read(Object(document.RootElement, "the top level"));
    }

    private static TokenizerJsonSpec Read(JsonElement root)
    {
        if (Optional(root, "truncation") is not null)
            throw new NotSupportedException("truncation is set; only files without truncation are supported.");
        if (Optional(root, "padding") is not null)
            throw new NotSupportedException("padding is set; only files without padding are supported.");
        if (Optional(root, "normalizer") is JsonElement normalizer)
            CheckNoOpNormalizer(normalizer, "normalizer");

        JsonElement model = Object(Required(root, "model", "the top level"), "model");
        string modelType = String(Required(model, "type", "model"), "model.type");
        if (modelType != "Unigram")
            throw new NotSupportedException($"model type '{modelType}' is not supported; only Unigram is.");
        (string[] pieces, double[] scores) = ReadVocabulary(Required(model, "vocab", "model"));
        if (Optional(model, "unk_id") is not JsonElement unkElement)
            throw new NotSupportedException("model.unk_id is null; only Unigram models with an unknown piece are supported.");
        int unknownId = Int(unkElement, "model.unk_id");
        if (unknownId < 0 || unknownId >= pieces.Length)
            throw new InvalidDataException($"model.unk_id {unknownId} is outside the vocabulary (0 to {pieces.Length - 1}).");
        bool byteFallback = Optional(model, "byte_fallback") is JsonElement fallback && Bool(fallback, "model.byte_fallback");

        AddedToken[] addedTokens = ReadAddedTokens(Optional(root, "added_tokens"), pieces);
        MetaspacePreTokenizer preTokenizer = ReadPreTokenizer(Optional(root, "pre_tokenizer"));
        TokenizerJsonDecoder decoder = Optional(root, "decoder") is JsonElement d ? ReadDecoder(d) : TokenizerJsonDecoder.None;
        return new TokenizerJsonSpec(pieces, scores, unknownId, byteFallback, addedTokens, preTokenizer, decoder);
    }

    /// <summary>Only a normaliser that changes nothing belongs to the family: a <c>Sequence</c> of such normalisers (none at all included).</summary>
    private static void CheckNoOpNormalizer(JsonElement normalizer, string path)
    {
        string type = String(Required(Object(normalizer, path), "type", path), path + ".type");
        if (type != "Sequence")
            throw new NotSupportedException($"normalizer '{type}' ({path}) is not supported; only none or an empty Sequence is.");
        int i = 0;
        foreach (JsonElement inner in Array(Required(normalizer, "normalizers", path), path + ".normalizers").EnumerateArray())
            CheckNoOpNormalizer(inner, $"{path}.normalizers[{i++}]");
    }

    private static (string[] Pieces, double[] Scores) ReadVocabulary(JsonElement vocab)
    {
        int count = Array(vocab, "model.vocab").GetArrayLength();
        if (count == 0)
            throw new InvalidDataException("model.vocab is empty.");
        if (count > MaxPieces)
            throw new InvalidDataException($"model.vocab has {count} entries; at most {MaxPieces} are accepted.");
        var pieces = new string[count];
        var scores = new double[count];
        var seen = new Dictionary<string, int>(count, StringComparer.Ordinal);
        int id = 0;
        foreach (JsonElement entry in vocab.EnumerateArray())
        {
            string path = $"model.vocab[{id}]";
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2)
                throw new InvalidDataException($"{path} is not a [piece, score] pair.");
            string piece = String(entry[0], path + "[0]");
            if (piece.Length == 0)
                throw new InvalidDataException($"{path} is an empty piece.");
            if (Encoding.UTF8.GetByteCount(piece) > MaxPieceBytes)
                throw new InvalidDataException($"{path} is longer than {MaxPieceBytes} UTF-8 bytes.");
            if (!seen.TryAdd(piece, id))
                throw new InvalidDataException($"piece '{piece}' is in model.vocab twice (ids {seen[piece]} and {id}).");
            if (entry[1].ValueKind != JsonValueKind.Number || !entry[1].TryGetDouble(out double score) || !double.IsFinite(score))
                throw new InvalidDataException($"{path}[1] is not a finite number.");
            pieces[id] = piece;
            scores[id] = score;
            id++;
        }
        return (pieces, scores);
    }

    private static AddedToken[] ReadAddedTokens(JsonElement? tokens, string[] pieces)
    {
        if (tokens is null)
            return [];
        var ids = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int id = 0; id < pieces.Length; id++)
            ids.Add(pieces[id], id);
        var result = new List<AddedToken>();
        foreach (JsonElement token in Array(tokens.Value, "added_tokens").EnumerateArray())
        {
            string path = $"added_tokens[{result.Count}]";
            Object(token, path);
            int id = Int(Required(token, "id", path), path + ".id");
            string content = String(Required(token, "content", path), path + ".content");
            foreach (string option in (string[])["single_word", "lstrip", "rstrip"])
            {
                if (Optional(token, option) is JsonElement flag && Bool(flag, $"{path}.{option}"))
                    throw new NotSupportedException($"{path} ('{content}') sets {option}; only added tokens without single_word, lstrip and rstrip are supported.");
            }
            // The library gives an added token that is a vocabulary piece the piece's id, whatever the file says, and
            // appends the others after the vocabulary; a converted SentencePiece model only has the first kind.
            if (!ids.TryGetValue(content, out int pieceId) || pieceId != id)
                throw new NotSupportedException($"{path} ('{content}', id {id}) is not the vocabulary piece with that id; only added tokens that are vocabulary pieces are supported.");
            bool normalized = Optional(token, "normalized") is JsonElement n ? Bool(n, path + ".normalized") : true;
            bool special = Optional(token, "special") is JsonElement s && Bool(s, path + ".special");
            result.Add(new AddedToken(id, content, normalized, special));
        }
        return [.. result];
    }

    private static MetaspacePreTokenizer ReadPreTokenizer(JsonElement? preTokenizer)
    {
        if (preTokenizer is not JsonElement element)
            throw new NotSupportedException("there is no pre_tokenizer; only Metaspace is supported.");
        string type = String(Required(Object(element, "pre_tokenizer"), "type", "pre_tokenizer"), "pre_tokenizer.type");
        string path = "pre_tokenizer";
        if (type == "Sequence")
        {
            JsonElement inner = Array(Required(element, "pretokenizers", path), path + ".pretokenizers");
            if (inner.GetArrayLength() != 1)
                throw new NotSupportedException($"a pre_tokenizer Sequence of {inner.GetArrayLength()} pre-tokenizers is not supported; only Metaspace (alone or as the only member of a Sequence) is.");
            path += ".pretokenizers[0]";
            element = Object(inner[0], path);
            type = String(Required(element, "type", path), path + ".type");
        }
        if (type != "Metaspace")
            throw new NotSupportedException($"pre-tokenizer '{type}' is not supported; only Metaspace is.");
        (string replacement, PrependScheme scheme) = ReadMetaspace(element, path);
        bool split = Optional(element, "split") is not JsonElement s || Bool(s, path + ".split");
        return new MetaspacePreTokenizer(replacement, scheme, split);
    }

    /// <summary>The settings a Metaspace pre-tokenizer and decoder share, with the library's defaults and its older <c>add_prefix_space</c> flag.</summary>
    private static (string Replacement, PrependScheme Scheme) ReadMetaspace(JsonElement element, string path)
    {
        string replacement = String(Required(element, "replacement", path), path + ".replacement");
        if (replacement.EnumerateRunes().Count() != 1)
            throw new InvalidDataException($"{path}.replacement '{replacement}' is not one character.");
        PrependScheme? scheme = Optional(element, "prepend_scheme") is JsonElement p
            ? String(p, path + ".prepend_scheme") switch
            {
                "always" => PrependScheme.Always,
                "first" => PrependScheme.First,
                "never" => PrependScheme.Never,
                string other => throw new InvalidDataException($"{path}.prepend_scheme '{other}' is not always, first or never."),
            }
            : null;
        if (Optional(element, "add_prefix_space") is JsonElement a && !Bool(a, path + ".add_prefix_space"))
        {
            if (scheme is not (null or PrependScheme.Never))
                throw new InvalidDataException($"{path}.add_prefix_space is false but prepend_scheme is not never.");
            scheme = PrependScheme.Never;
        }
        return (replacement, scheme ?? PrependScheme.Always);
    }

    private static TokenizerJsonDecoder ReadDecoder(JsonElement decoder)
    {
        var steps = new List<Func<List<string>, List<string>>>();
        AddDecoderSteps(decoder, "decoder", steps);
        return TokenizerJsonDecoder.Chain(steps);
    }

    private static void AddDecoderSteps(JsonElement decoder, string path, List<Func<List<string>, List<string>>> steps)
    {
        string type = String(Required(Object(decoder, path), "type", path), path + ".type");
        switch (type)
        {
            case "Sequence":
                int i = 0;
                foreach (JsonElement inner in Array(Required(decoder, "decoders", path), path + ".decoders").EnumerateArray())
                    AddDecoderSteps(inner, $"{path}.decoders[{i++}]", steps);
                break;
            case "Replace":
                JsonElement pattern = Object(Required(decoder, "pattern", path), path + ".pattern");
                if (Optional(pattern, "String") is not JsonElement literal)
                    throw new NotSupportedException($"{path} replaces a regular expression; only string patterns are supported.");
                string from = String(literal, path + ".pattern.String");
                if (from.Length == 0)
                    throw new InvalidDataException($"{path}.pattern.String is empty.");
                steps.Add(TokenizerJsonDecoder.Replace(from, String(Required(decoder, "content", path), path + ".content")));
                break;
            case "ByteFallback":
                steps.Add(TokenizerJsonDecoder.ByteFallback);
                break;
            case "Fuse":
                steps.Add(TokenizerJsonDecoder.Fuse);
                break;
            case "Strip":
                string content = String(Required(decoder, "content", path), path + ".content");
                if (content.EnumerateRunes().Count() != 1)
                    throw new InvalidDataException($"{path}.content '{content}' is not one character.");
                int start = Int(Required(decoder, "start", path), path + ".start");
                int stop = Int(Required(decoder, "stop", path), path + ".stop");
                if (start < 0 || stop < 0)
                    throw new InvalidDataException($"{path}.start and .stop must not be negative.");
                steps.Add(TokenizerJsonDecoder.Strip(content.EnumerateRunes().First(), start, stop));
                break;
            case "Metaspace":
                (string replacement, PrependScheme scheme) = ReadMetaspace(decoder, path);
                steps.Add(TokenizerJsonDecoder.Metaspace(replacement, scheme));
                break;
            default:
                throw new NotSupportedException($"decoder '{type}' ({path}) is not supported; only Sequence, Replace, ByteFallback, Fuse, Strip and Metaspace are.");
        }
    }

    private static JsonElement? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Required(JsonElement element, string name, string path) =>
        Optional(element, name) ?? throw new InvalidDataException($"{path} has no '{name}'.");

    private static JsonElement Object(JsonElement element, string path) => element.ValueKind == JsonValueKind.Object
        ? element
        : throw new InvalidDataException($"{path} is not an object.");

    private static JsonElement Array(JsonElement element, string path) => element.ValueKind == JsonValueKind.Array
        ? element
        : throw new InvalidDataException($"{path} is not an array.");

    private static string String(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{path} is not a string.");
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // An escaped lone surrogate.
            throw new InvalidDataException($"{path} is not valid text: {e.Message}", e);
        }
    }

    private static bool Bool(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new InvalidDataException($"{path} is not true or false."),
    };

    private static int Int(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value)
            ? value
            : throw new InvalidDataException($"{path} is not a 32-bit integer.");
}
