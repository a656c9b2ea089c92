using System.Text;

namespace PocketTts.Tokenizer;

/// <summary>
/// The decoder of a tokenizer.json, as the Hugging Face library applies it (decoders/*.rs, <c>decode_chain</c>): each
/// step turns the list of token strings into another, and the result is their concatenation. Without a decoder
/// the library joins the tokens with spaces. The steps are those that conversions from SentencePiece write:
/// <c>Replace</c> (string pattern), <c>ByteFallback</c>, <c>Fuse</c>, <c>Strip</c> and <c>Metaspace</c>.
/// </summary>
internal sealed class TokenizerJsonDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IReadOnlyList<Func<List<string>, List<string>>>? _steps;

    private TokenizerJsonDecoder(IReadOnlyList<Func<List<string>, List<string>>>? steps) => _steps = steps;

    /// <summary>No decoder: the tokens joined with spaces.</summary>
    public static TokenizerJsonDecoder None { get; } = new(null);

    /// <summary>A chain of steps, applied in order.</summary>
    public static TokenizerJsonDecoder Chain(IReadOnlyList<Func<List<string>, List<string>>> steps) => new(steps);

    /// <summary>Decodes token strings into text.</summary>
    public string Decode(List<string> tokens)
    {
        if (_steps is null)
            return string.Join(' ', tokens);
        foreach (Func<List<string>, List<string>> step in _steps)
            tokens = step(tokens);
        return string.Concat(tokens);
    }

    /// <summary><c>Replace</c> with a string pattern: every occurrence in every token.</summary>
    public static Func<List<string>, List<string>> Replace(string pattern, string content) =>
        tokens => tokens.ConvertAll(t => t.Replace(pattern, content, StringComparison.Ordinal));

    /// <summary><c>Fuse</c>: all tokens become one.</summary>
    public static List<string> Fuse(List<string> tokens) => [string.Concat(tokens)];

    /// <summary>
    /// <c>Strip</c>: removes up to <paramref name="start"/> leading and <paramref name="stop"/> trailing occurrences of
    /// <paramref name="content"/> from every token.
    /// </summary>
    public static Func<List<string>, List<string>> Strip(Rune content, int start, int stop) => tokens => tokens.ConvertAll(token =>
    {
        Rune[] runes = [.. token.EnumerateRunes()];
        int from = 0, to = runes.Length;
        while (from < Math.Min(start, runes.Length) && runes[from] == content)
            from++;
        for (int i = 0; i < stop && to - 1 >= from && runes[to - 1] == content; i++)
            to--;
        return string.Concat(runes[from..to].Select(r => r.ToString()));
    });

    /// <summary>
    /// <c>Metaspace</c>: every replacement character becomes a space, except in the first token when the pre-tokenizer
    /// prepends one, where it is dropped (all of them, not only a leading one, as the library does).
    /// </summary>
    public static Func<List<string>, List<string>> Metaspace(string replacement, PrependScheme scheme) => tokens =>
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
            result.Add(tokens[i].Replace(replacement, i == 0 && scheme != PrependScheme.Never ? "" : " ", StringComparison.Ordinal));
        return result;
    };

    /// <summary>
    /// <c>ByteFallback</c>: runs of <c>&lt;0xNN&gt;</c> tokens become the text their bytes spell, or one U+FFFD per byte
    /// when the run is not well-formed UTF-8.
    /// </summary>
    public static List<string> ByteFallback(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var bytes = new List<byte>();
        foreach (string token in tokens)
        {
            if (ByteOf(token) is byte b)
            {
                bytes.Add(b);
                continue;
            }
            Flush(bytes, result);
            result.Add(token);
        }
        Flush(bytes, result);
        return result;

        static void Flush(List<byte> bytes, List<string> result)
        {
            if (bytes.Count == 0)
                return;
            try
            {
                result.Add(StrictUtf8.GetString([.. bytes]));
            }
            catch (DecoderFallbackException)
            {
                result.AddRange(Enumerable.Repeat("\uFFFD", bytes.Count));
            }
            bytes.Clear();
        }
    }

    /// <summary>
    /// The byte of a token of 6 UTF-8 bytes <c>&lt;0x..&gt;</c> whose two middle bytes Rust's <c>u8::from_str_radix(_, 16)</c>
    /// accepts (either case, and a leading '+'), or null.
    /// </summary>
    private static byte? ByteOf(string token)
    {
        if (token.Length != 6 || !token.StartsWith("<0x", StringComparison.Ordinal) || token[5] != '>')
            return null;
        int hi = token[3] == '+' ? 0 : HexDigit(token[3]), lo = HexDigit(token[4]);
        return hi < 0 || lo < 0 ? null : (byte)((hi << 4) | lo);

        static int HexDigit(char c) => c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
    }
}
