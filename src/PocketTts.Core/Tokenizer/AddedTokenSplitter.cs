using System.Text;

namespace PocketTts.Tokenizer;

/// <summary>A token of a tokenizer.json's <c>added_tokens</c>.</summary>
/// <param name="Id">Its id, which is also its id in the model vocabulary.</param>
/// <param name="Content">The text it matches.</param>
/// <param name="Normalized">Whether it is matched in the normalised text rather than in the input.</param>
/// <param name="Special">Whether decoding leaves it out.</param>
internal readonly record struct AddedToken(int Id, string Content, bool Normalized, bool Special);

/// <summary>A run of the input: bytes [Start, End) and the added token found there, or -1 for plain text.</summary>
internal readonly record struct TextRun(int Start, int End, int AddedTokenId);

/// <summary>
/// Finds the added tokens in a text before the model sees it, as the Hugging Face library's AddedVocabulary does
/// (<c>extract_and_normalize</c>): first the tokens not marked <c>normalized</c> in the input, then, in each remaining
/// run, the normalised ones (with the no-op normaliser of this family the input is the normalised text). Each pass
/// takes, at the leftmost position where a token matches, the longest token (leftmost-longest matching).
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly PieceTrie _raw = new();
    private readonly PieceTrie _normalized = new();

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        foreach (AddedToken token in tokens)
            (token.Normalized ? _normalized : _raw).Add(Encoding.UTF8.GetBytes(token.Content), token.Id);
    }

    /// <summary>Cuts <paramref name="text"/> (UTF-8) into runs of plain text and added tokens, in order.</summary>
    public List<TextRun> Split(ReadOnlySpan<byte> text)
    {
        var runs = new List<TextRun>();
        Split(text, new TextRun(0, text.Length, -1), _raw, runs);
        if (_normalized.IsEmpty)
            return runs;
        var result = new List<TextRun>(runs.Count);
        foreach (TextRun run in runs)
        {
            if (run.AddedTokenId >= 0)
                result.Add(run);
            else
                Split(text, run, _normalized, result);
        }
        return result;
    }

    private static void Split(ReadOnlySpan<byte> text, TextRun run, PieceTrie tokens, List<TextRun> result)
    {
        if (tokens.IsEmpty)
        {
            result.Add(run);
            return;
        }
        int plainStart = run.Start;
        int at = run.Start;
        while (at < run.End)
        {
            int length = tokens.LongestPrefix(text[at..run.End], out int id);
            if (length == 0)
            {
                // A token starts with a UTF-8 lead byte, so it cannot match inside a character: stepping one byte is safe.
                at++;
                continue;
            }
            if (at > plainStart)
                result.Add(new TextRun(plainStart, at, -1));
            result.Add(new TextRun(at, at + length, id));
            at += length;
            plainStart = at;
        }
        if (run.End > plainStart)
            result.Add(new TextRun(plainStart, run.End, -1));
    }
}
