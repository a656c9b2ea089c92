namespace PocketTts.Tokenizer;

/// <summary>A piece of the segmentation: normalised bytes [Start, End) and the piece id.</summary>
internal readonly record struct Segment(int Start, int End, int Id);

/// <summary>
/// The Unigram language-model segmentation of SentencePiece (unigram_model.cc, <c>Model::EncodeOptimized</c>, the
/// default encoder): a Viterbi search over byte positions for the segmentation with the highest total score,
/// where only NORMAL and USER_DEFINED pieces can match the text and a character that no single piece covers gets
/// an UNKNOWN node scored (lowest NORMAL score − 10).
/// </summary>
/// <remarks>
/// Exactness matters where two segmentations tie in exact arithmetic (the same pieces in another order): the
/// winner is then decided by float32 rounding of the running path scores and by the comparison order, so both
/// are reproduced. Scores accumulate in float; start positions are visited left to right and a later candidate
/// for the same end position replaces the current best only when strictly greater. Cost is O(n · longest piece).
/// </remarks>
internal sealed class UnigramSegmenter
{
    private const float UnknownPenalty = 10f;

    private readonly PieceTrie _trie = new();
    private readonly PieceEntry[] _pieces;
    private readonly int _unknownId;
    private readonly float _unknownScore;
    private readonly float _maxScore;

    public UnigramSegmenter(PieceEntry[] pieces, int unknownId)
    {
        _pieces = pieces;
        _unknownId = unknownId;

        // As in the reference's constructor: max starts at FLT_MIN (the smallest positive float, not the most
        // negative one), so with log-probability scores it stays FLT_MIN; it only shapes user-defined scores.
        float min = float.MaxValue, max = 1.17549435e-38f;
        for (int id = 0; id < pieces.Length; id++)
        {
            PieceEntry p = pieces[id];
            if (p.Type == PieceType.Normal)
            {
                min = Math.Min(min, p.Score);
                max = Math.Max(max, p.Score);
            }
            if (p.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused)
                _trie.Add(System.Text.Encoding.UTF8.GetBytes(p.Piece), id);
        }
        _unknownScore = min - UnknownPenalty;
        _maxScore = max;
    }

    /// <summary>Segments <paramref name="text"/> (normalised UTF-8) into <paramref name="result"/> (cleared first), left to right.</summary>
    public void Encode(ReadOnlySpan<byte> text, List<Segment> result)
    {
        result.Clear();
        int size = text.Length;
        if (size == 0)
            return;

        // Best path ending at each byte position: its score, where its last piece starts (-1: not reached) and that piece.
        var bestScore = new float[size + 1];
        var bestStart = new int[size + 1];
        var bestId = new int[size + 1];
        Array.Fill(bestStart, -1);

        for (int start = 0, charLength; start < size; start += charLength)
        {
            float scoreHere = bestScore[start];
            charLength = Math.Min(Utf8Chars.OneCharLength(text[start]), size - start);
            bool hasSingleCharPiece = false;
            int node = 0;
            for (int end = start + 1; end <= size && _trie.TryStep(ref node, text[end - 1]); end++)
            {
                int id = _trie.ValueAt(node);
                if (id < 0 || _pieces[id].Type == PieceType.Unused)
                    continue;
                int length = end - start;
                // The reference computes a user-defined score in double (length · max − 0.1) and so the candidate
                // too; a normal piece's candidate is a float sum.
                double candidate = _pieces[id].Type == PieceType.UserDefined
                    ? (double)(length * _maxScore) - 0.1 + scoreHere
                    : _pieces[id].Score + scoreHere;
                Relax(end, start, id, candidate, bestScore, bestStart, bestId);
                hasSingleCharPiece |= length == charLength;
            }
            if (!hasSingleCharPiece)
                Relax(start + charLength, start, _unknownId, _unknownScore + scoreHere, bestScore, bestStart, bestId);
        }

        for (int end = size; end > 0; end = bestStart[end])
            result.Add(new Segment(bestStart[end], end, bestId[end]));
        result.Reverse();
    }

    private static void Relax(int end, int start, int id, double candidate, float[] bestScore, int[] bestStart, int[] bestId)
    {
        if (bestStart[end] == -1 || candidate > bestScore[end])
        {
            bestScore[end] = (float)candidate;
            bestStart[end] = start;
            bestId[end] = id;
        }
    }
}
