namespace PocketTts.Tokenizer;

/// <summary>A piece of the segmentation: normalised bytes [Start, End) and the piece id.</summary>
internal readonly record struct Segment(int Start, int End, int Id);

/// <summary>
/// The Unigram language-model segmentation: a Viterbi search over byte positions for the segmentation with the
/// highest total score, where a character that no single piece covers gets an UNKNOWN node scored (lowest score − 10).
/// Two implementations are reproduced: SentencePiece (unigram_model.cc, <c>Model::EncodeOptimized</c>, the default
/// encoder; see <see cref="UnigramSegmenter(PieceEntry[], int)"/>) and the Hugging Face <c>tokenizers</c> library
/// (models/unigram, <c>encode_optimized</c>; see <see cref="ForTokenizerJson"/>).
/// </summary>
/// <remarks>
/// Exactness matters where two segmentations tie in exact arithmetic (the same pieces in another order): the
/// winner is then decided by the rounding of the running path scores and by the comparison order, so both are
/// reproduced. SentencePiece accumulates in float, the Hugging Face library in double, which is why the two can pick
/// different segmentations of the same text. Start positions are visited left to right and a later candidate for
/// the same end position replaces the current best only when strictly greater. Cost is O(n · longest piece).
/// </remarks>
internal sealed class UnigramSegmenter
{
    private const double UnknownPenalty = 10.0;

    /// <summary>How a piece in the trie takes part in the search.</summary>
    private enum Role : byte
    {
        Scored,
        UserDefined,
        Ignored,
    }

    private readonly PieceTrie _trie;
    private readonly double[] _scores;
    private readonly Role[] _roles;
    private readonly int _unknownId;
    private readonly double _unknownScore;
    private readonly float _maxScore;
    private readonly bool _floatSums;

    private UnigramSegmenter(PieceTrie trie, double[] scores, Role[] roles, int unknownId, double unknownScore, float maxScore, bool floatSums)
    {
        _trie = trie;
        _scores = scores;
        _roles = roles;
        _unknownId = unknownId;
        _unknownScore = unknownScore;
        _maxScore = maxScore;
        _floatSums = floatSums;
    }

    /// <summary>
    /// SentencePiece's search: only NORMAL and USER_DEFINED pieces can match the text (UNUSED ones are in the trie but
    /// skipped), the unknown score is the lowest NORMAL score − 10, and path scores are float sums.
    /// </summary>
    public UnigramSegmenter(PieceEntry[] pieces, int unknownId)
        : this(new PieceTrie(), new double[pieces.Length], new Role[pieces.Length], unknownId, 0, 0, floatSums: true)
    {
        // As in the reference's constructor: max starts at FLT_MIN (the smallest positive float, not the most
        // negative one), so with log-probability scores it stays FLT_MIN; it only shapes user-defined scores.
        float min = float.MaxValue, max = 1.17549435e-38f;
        for (int id = 0; id < pieces.Length; id++)
        {
            PieceEntry p = pieces[id];
            _scores[id] = p.Score;
            if (p.Type == PieceType.Normal)
            {
                min = Math.Min(min, p.Score);
                max = Math.Max(max, p.Score);
            }
            if (p.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused)
            {
                _trie.Add(System.Text.Encoding.UTF8.GetBytes(p.Piece), id);
                _roles[id] = p.Type switch
                {
                    PieceType.UserDefined => Role.UserDefined,
                    PieceType.Unused => Role.Ignored,
                    _ => Role.Scored,
                };
            }
        }
        _unknownScore = min - (float)UnknownPenalty;
        _maxScore = max;
    }

    /// <summary>
    /// The Hugging Face library's search: every vocabulary entry can match the text (special and byte pieces included),
    /// the unknown score is the lowest score of all entries − 10, and path scores are double sums.
    /// </summary>
    /// <param name="pieces">The vocabulary as UTF-8, distinct and non-empty.</param>
    /// <param name="scores">The score of each piece.</param>
    /// <param name="unknownId">The id the search gives an uncovered character.</param>
    public static UnigramSegmenter ForTokenizerJson(byte[][] pieces, double[] scores, int unknownId)
    {
        var trie = new PieceTrie();
        for (int id = 0; id < pieces.Length; id++)
            trie.Add(pieces[id], id);
        return new UnigramSegmenter(trie, scores, new Role[pieces.Length], unknownId, scores.Min() - UnknownPenalty, 0, floatSums: false);
    }

    /// <summary>Segments <paramref name="text"/> (normalised UTF-8) into <paramref name="result"/> (cleared first), left to right.</summary>
    public void Encode(ReadOnlySpan<byte> text, List<Segment> result)
    {
        result.Clear();
        int size = text.Length;
        if (size == 0)
            return;

        // Best path ending at each byte position: its score, where its last piece starts (-1: not reached) and that piece.
        var bestScore = new double[size + 1];
        var bestStart = new int[size + 1];
        var bestId = new int[size + 1];
        Array.Fill(bestStart, -1);

        for (int start = 0, charLength; start < size; start += charLength)
        {
            double scoreHere = bestScore[start];
            charLength = Math.Min(Utf8Chars.OneCharLength(text[start]), size - start);
            bool hasSingleCharPiece = false;
            int node = 0;
            for (int end = start + 1; end <= size && _trie.TryStep(ref node, text[end - 1]); end++)
            {
                int id = _trie.ValueAt(node);
                if (id < 0 || _roles[id] == Role.Ignored)
                    continue;
                int length = end - start;
                // SentencePiece computes a user-defined score in double (length · max − 0.1) and so the candidate too.
                double candidate = _roles[id] == Role.UserDefined
                    ? (double)(length * _maxScore) - 0.1 + scoreHere
                    : Sum(_scores[id], scoreHere);
                Relax(end, start, id, candidate, bestScore, bestStart, bestId);
                hasSingleCharPiece |= length == charLength;
            }
            if (!hasSingleCharPiece)
                Relax(start + charLength, start, _unknownId, Sum(_unknownScore, scoreHere), bestScore, bestStart, bestId);
        }

        for (int end = size; end > 0; end = bestStart[end])
            result.Add(new Segment(bestStart[end], end, bestId[end]));
        result.Reverse();
    }

    private double Sum(double score, double pathScore) => _floatSums ? (float)score + (float)pathScore : score + pathScore;

    private void Relax(int end, int start, int id, double candidate, double[] bestScore, int[] bestStart, int[] bestId)
    {
        if (bestStart[end] == -1 || candidate > bestScore[end])
        {
            bestScore[end] = _floatSums ? (float)candidate : candidate;
            bestStart[end] = start;
            bestId[end] = id;
        }
    }
}
