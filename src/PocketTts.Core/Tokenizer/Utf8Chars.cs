namespace PocketTts.Tokenizer;

/// <summary>
/// UTF-8 character boundaries as SentencePiece's string_util computes them (util.h/util.cc), so that positions,
/// replacement characters and byte fallback match it byte for byte.
/// </summary>
internal static class Utf8Chars
{
    /// <summary>U+FFFD, which SentencePiece substitutes for each malformed byte.</summary>
    public static ReadOnlySpan<byte> ReplacementCharacter => "\uFFFD"u8;

    /// <summary>U+2581 LOWER ONE EIGHTH BLOCK, the escaped space.</summary>
    public static ReadOnlySpan<byte> SpaceSymbol => "\u2581"u8;

    /// <summary><c>OneCharLen</c>: the length announced by a lead byte (1 for ASCII and for stray continuation bytes).</summary>
    public static int OneCharLength(byte lead) => (lead >> 4) switch
    {
        < 0xC => 1,
        0xC or 0xD => 2,
        0xE => 3,
        _ => 4,
    };

    /// <summary>
    /// <c>IsValidDecodeUTF8</c>: the length of the well-formed character at the start of <paramref name="text"/>
    /// (no overlong forms, surrogates or code points above U+10FFFF), or 0 when it is malformed, in which case
    /// SentencePiece consumes one byte.
    /// </summary>
    public static int ValidCharLength(ReadOnlySpan<byte> text)
    {
        byte b0 = text[0];
        if (b0 < 0x80)
            return 1;
        if (text.Length >= 2 && (b0 & 0xE0) == 0xC0)
        {
            int cp = ((b0 & 0x1F) << 6) | (text[1] & 0x3F);
            return IsTrail(text[1]) && cp >= 0x80 ? 2 : 0;
        }
        if (text.Length >= 3 && (b0 & 0xF0) == 0xE0)
        {
            int cp = ((b0 & 0x0F) << 12) | ((text[1] & 0x3F) << 6) | (text[2] & 0x3F);
            return IsTrail(text[1]) && IsTrail(text[2]) && cp >= 0x800 && IsValidCodepoint(cp) ? 3 : 0;
        }
        if (text.Length >= 4 && (b0 & 0xF8) == 0xF0)
        {
            int cp = ((b0 & 0x07) << 18) | ((text[1] & 0x3F) << 12) | ((text[2] & 0x3F) << 6) | (text[3] & 0x3F);
            return IsTrail(text[1]) && IsTrail(text[2]) && IsTrail(text[3]) && cp >= 0x10000 && IsValidCodepoint(cp) ? 4 : 0;
        }
        return 0;
    }

    private static bool IsTrail(byte b) => (b & 0xC0) == 0x80;

    private static bool IsValidCodepoint(int cp) => cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
}
