using System.Text;

namespace PocketTts.Tokenizer;

/// <summary>When the Metaspace pre-tokenizer puts a replacement character in front of a text segment.</summary>
internal enum PrependScheme
{
    /// <summary>In front of every segment that does not start with one.</summary>
    Always,

    /// <summary>Only in front of the segment at the start of the text (not after a leading added token).</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>
/// The Metaspace pre-tokenizer of the Hugging Face <c>tokenizers</c> library (pre_tokenizers/metaspace.rs): every
/// space (U+0020 only) becomes the replacement character, one is prepended according to the scheme unless the segment
/// already starts with it, and with <paramref name="split"/> the segment is cut in front of every replacement
/// character, which starts the next piece.
/// </summary>
/// <param name="replacement">The character that stands for a space, U+2581 in files converted from SentencePiece.</param>
/// <param name="scheme">When a replacement character is prepended.</param>
/// <param name="split">Whether the segment is cut into words.</param>
internal sealed class MetaspacePreTokenizer(string replacement, PrependScheme scheme, bool split)
{
    private readonly byte[] _replacementUtf8 = Encoding.UTF8.GetBytes(replacement);

    /// <summary>
    /// Appends the pre-tokens of one text segment (UTF-8, between added tokens) to <paramref name="result"/>.
    /// <paramref name="atTextStart"/> says whether the segment begins the text, which the <see cref="PrependScheme.First"/>
    /// scheme asks.
    /// </summary>
    public void PreTokenize(ReadOnlySpan<byte> segment, bool atTextStart, List<byte[]> result)
    {
        // The library prepends to a non-empty segment only.
        if (segment.IsEmpty)
            return;
        var replaced = new List<byte>(segment.Length + 8);
        bool prepend = scheme == PrependScheme.Always || (scheme == PrependScheme.First && atTextStart);
        if (prepend && !(segment.StartsWith(_replacementUtf8) || (segment[0] == (byte)' ')))
            replaced.AddRange(_replacementUtf8);
        foreach (byte b in segment)
        {
            if (b == (byte)' ')
                replaced.AddRange(_replacementUtf8);
            else
                replaced.Add(b);
        }

        byte[] text = [.. replaced];
        if (!split)
        {
            result.Add(text);
            return;
        }
        int start = 0;
        for (int at = IndexOfReplacement(text, 1); at >= 0; at = IndexOfReplacement(text, at + _replacementUtf8.Length))
        {
            result.Add(text[start..at]);
            start = at;
        }
        result.Add(text[start..]);
    }

    private int IndexOfReplacement(byte[] text, int from)
    {
        if (from >= text.Length)
            return -1;
        int at = text.AsSpan(from).IndexOf(_replacementUtf8);
        return at < 0 ? -1 : from + at;
    }
}
