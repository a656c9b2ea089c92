using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using PocketTts.Tokenizer;

namespace PocketTts.Text;

/// <summary>
/// Cuts a long text into chunks of at most <c>max_tokens</c> tokens that the model speaks one at a time: the
/// reference's <c>split_into_best_sentences</c> (pocket_tts/models/tts_model.py), rule for rule.
/// </summary>
/// <remarks>
/// The text is prepared once as a whole (<see cref="TextPrompt.Prepare(string, TextRules)"/>), tokenized, and cut after each run of
/// end-of-sentence tokens; a sentence longer than the budget is cut again after commas, semicolons and colons.
/// Segments are turned back into text with the tokenizer's decode and packed greedily, joined by a space (so a
/// tokenizer without a dummy prefix leaves two spaces between sentences, as the reference does). The boundary
/// tokens are derived from the tokenizer itself: <c>encode(".!...?")</c> and <c>encode(",;:")</c> without their
/// first token, which the reference expects to be the dummy-prefix <c>▁</c>.
/// </remarks>
public static partial class SentenceSplitter
{
    private const string EndOfSentenceMarks = ".!...?";
    private const string FallbackMarks = ",;:";

    /// <summary>Splits <paramref name="text"/> into chunks to be generated one after another.</summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="text">The user's text.</param>
    /// <param name="maxTokens">Token budget of a chunk (a single sentence that cannot be cut may exceed it).</param>
    /// <param name="rules">How the text is prepared and where sentences end, as the model's reference release does.</param>
    /// <param name="logger">Receives the reference's warning about chunks over budget; optional.</param>
    /// <returns>The chunks, stripped; empty only if the text tokenizes to nothing.</returns>
    /// <exception cref="ArgumentException">The text is empty or only whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is less than 1.</exception>
    public static List<string> Split(ITextTokenizer tokenizer, string text, int maxTokens, TextRules rules, ILogger? logger = null)
    {
        List<string> chunks = Pack(tokenizer, text, maxTokens, rules).Chunks;
        if (logger is not null)
        {
            foreach (string c in chunks)
            {
                int count = tokenizer.Encode(c).Length;
                if (count > maxTokens)
                    LogChunkOverBudget(logger, count, maxTokens, Head(c, 50));
            }
        }
        return chunks;
    }

    /// <summary>
    /// Splits <paramref name="prefix"/>, the start of a text whose rest is still to come, and says how many of its
    /// leading chunks are final: the same, whatever follows, as the whole text's first chunks.
    /// </summary>
    /// <remarks>
    /// Only the last sentence is open: more text may lengthen it, and a sentence that outgrows the budget is cut again
    /// after commas, so its first part might still join the chunk before. A chunk is final once the chunk after it
    /// starts with a closed sentence, whose token count, and so the greedy packing decision, can no longer change.
    /// The caller makes sure that the prefix ends with a whole word (so the tokens before it are those of the whole
    /// text).
    /// </remarks>
    /// <returns>The chunks of <paramref name="prefix"/> and how many of them, from the first, are final.</returns>
    public static (List<string> Chunks, int Final) SplitOpen(ITextTokenizer tokenizer, string prefix, int maxTokens, TextRules rules)
    {
        (List<string> chunks, List<int> chunkStarts, int lastSentenceStart) = Pack(tokenizer, prefix, maxTokens, rules);
        int final = 0;
        while (final + 1 < chunks.Count && chunkStarts[final + 1] < lastSentenceStart)
            final++;
        return (chunks, final);
    }

    /// <summary>
    /// The splitting itself: the chunks, the index of each chunk's first segment, and the index of the first segment
    /// of the last sentence (a sentence cut after commas is several segments).
    /// </summary>
    private static (List<string> Chunks, List<int> ChunkStarts, int LastSentenceStart) Pack(ITextTokenizer tokenizer, string text, int maxTokens, TextRules rules)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        string prepared = PythonString.Strip(TextPrompt.Prepare(text, rules).Text);

        List<(int Tokens, string Text)> sentences = Segments(tokenizer, tokenizer.Encode(prepared), EndOfSentenceTokens(tokenizer),
                                                             skipDecimalPoints: true);

        // Sub-split oversized sentences on commas, semicolons and colons, so that the model does not skip words.
        int[] fallbackTokens = FallbackTokens(tokenizer);
        var segments = new List<(int Tokens, string Text)>(sentences.Count);
        int lastSentenceStart = 0;
        foreach ((int tokens, string sentence) in sentences)
        {
            lastSentenceStart = segments.Count;
            List<(int Tokens, string Text)> parts = tokens <= maxTokens
                ? []
                : Segments(tokenizer, tokenizer.Encode(PythonString.Strip(sentence)), fallbackTokens);
            if (parts.Count > 1)
                segments.AddRange(parts);
            else
                segments.Add((tokens, sentence));
        }

        var chunks = new List<string>();
        var chunkStarts = new List<int>();
        var chunk = new StringBuilder();
        int chunkTokens = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            (int tokens, string segment) = segments[i];
            if (chunk.Length == 0)
            {
                chunk.Append(segment);
                chunkTokens = tokens;
                if (chunkStarts.Count > chunks.Count)
                    chunkStarts[^1] = i; // the segment before decoded to nothing
                else
                    chunkStarts.Add(i);
            }
            else if (chunkTokens + tokens > maxTokens)
            {
                chunks.Add(PythonString.Strip(chunk.ToString()));
                chunk.Clear().Append(segment);
                chunkTokens = tokens;
                chunkStarts.Add(i);
            }
            else
            {
                chunk.Append(' ').Append(segment);
                chunkTokens += tokens;
            }
        }
        if (chunk.Length > 0)
            chunks.Add(PythonString.Strip(chunk.ToString()));
        return (chunks, chunkStarts, lastSentenceStart);
    }

    /// <summary>Tokens after which a sentence ends: <c>encode(".!...?")</c> without its first token.</summary>
    public static int[] EndOfSentenceTokens(ITextTokenizer tokenizer) => tokenizer.Encode(EndOfSentenceMarks)[1..];

    /// <summary>Tokens after which an oversized sentence may be cut: <c>encode(",;:")</c> without its first token.</summary>
    public static int[] FallbackTokens(ITextTokenizer tokenizer) => tokenizer.Encode(FallbackMarks)[1..];

    /// <summary>
    /// Cuts <paramref name="tokens"/> before the first token that follows a run of boundary tokens
    /// (<c>_find_boundary_indices</c>) and decodes each piece (<c>_segments_from_boundaries</c>). With
    /// <paramref name="skipDecimalPoints"/>, no cut is made where the text before ends in a digit and a period and the
    /// text after starts with a digit (<c>_is_decimal_period_boundary</c>).
    /// </summary>
    private static List<(int Tokens, string Text)> Segments(ITextTokenizer tokenizer, int[] tokens, int[] boundaryTokens, bool skipDecimalPoints = false)
    {
        var segments = new List<(int, string)>();
        int start = 0;
        bool previousWasBoundary = false;
        for (int i = 0; i < tokens.Length; i++)
        {
            bool isBoundary = Array.IndexOf(boundaryTokens, tokens[i]) >= 0;
            if (!isBoundary && previousWasBoundary && !(skipDecimalPoints && IsDecimalPoint(tokenizer, tokens, i)))
            {
                segments.Add((i - start, tokenizer.Decode(tokens.AsSpan(start, i - start))));
                start = i;
            }
            previousWasBoundary = isBoundary;
        }
        segments.Add((tokens.Length - start, tokenizer.Decode(tokens.AsSpan(start))));
        return segments;
    }

    /// <summary>
    /// 3.x's <c>_is_decimal_period_boundary</c>: the whole text before <paramref name="index"/> ends in a digit and a
    /// period, and the text from it on starts with a digit (Python's <c>str.isdigit</c>: decimal or digit characters).
    /// </summary>
    private static bool IsDecimalPoint(ITextTokenizer tokenizer, int[] tokens, int index)
    {
        string before = tokenizer.Decode(tokens.AsSpan(0, index)), after = tokenizer.Decode(tokens.AsSpan(index));
        return before.Length >= 2 && before[^1] == '.' && IsDigit(before, before.Length - 2) && after.Length > 0 && IsDigit(after, 0);
    }

    private static bool IsDigit(string text, int index)
    {
        // A digit outside the BMP is a surrogate pair: look at the whole code point.
        if (char.IsLowSurrogate(text[index]) && index > 0 && char.IsHighSurrogate(text[index - 1]))
            index--;
        return CharUnicodeInfo.GetDigitValue(text, index) >= 0;
    }

    /// <summary>At most the first <paramref name="length"/> characters, not cutting a surrogate pair (Python's <c>%.50s</c>).</summary>
    private static string Head(string text, int length)
    {
        if (text.Length <= length)
            return text;
        return text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chunk has {Tokens} tokens (max {MaxTokens}), generation may skip words: '{Start}...'")]
    private static partial void LogChunkOverBudget(ILogger logger, int tokens, int maxTokens, string start);
}
