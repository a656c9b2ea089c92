namespace PocketTts.Tokenizer;

/// <summary>
/// A byte trie over UTF-8 piece strings, mapping each to its id. It plays the role of SentencePiece's darts trie
/// for the vocabulary (walked one byte at a time by the Viterbi search), for user-defined symbols (longest match)
/// and for the added tokens of a tokenizer.json (leftmost-longest match). Node 0 is the root; edges live in one
/// dictionary keyed by (node, byte).
/// </summary>
internal sealed class PieceTrie
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _values = [-1];   // id of the piece ending at each node, -1 for none

    public bool IsEmpty => _values.Count == 1;

    /// <summary>Adds a piece; the caller guarantees that pieces are distinct and non-empty.</summary>
    public void Add(ReadOnlySpan<byte> piece, int id)
    {
        int node = 0;
        foreach (byte b in piece)
        {
            long key = EdgeKey(node, b);
            if (!_edges.TryGetValue(key, out int child))
            {
                child = _values.Count;
                _values.Add(-1);
                _edges.Add(key, child);
            }
            node = child;
        }
        _values[node] = id;
    }

    /// <summary>Follows the edge for <paramref name="b"/>; false when there is none (no piece continues this way).</summary>
    public bool TryStep(ref int node, byte b)
    {
        if (!_edges.TryGetValue(EdgeKey(node, b), out int child))
            return false;
        node = child;
        return true;
    }

    /// <summary>The id of the piece that ends at <paramref name="node"/>, or -1.</summary>
    public int ValueAt(int node) => _values[node];

    /// <summary>
    /// Length in bytes of the longest piece that is a prefix of <paramref name="text"/>, 0 if none; <paramref name="id"/>
    /// is that piece's id (-1 if none).
    /// </summary>
    public int LongestPrefix(ReadOnlySpan<byte> text, out int id)
    {
        int node = 0, longest = 0;
        id = -1;
        for (int i = 0; i < text.Length && TryStep(ref node, text[i]); i++)
        {
            if (_values[node] >= 0)
            {
                longest = i + 1;
                id = _values[node];
            }
        }
        return longest;
    }

    private static long EdgeKey(int node, byte b) => ((long)node << 8) | b;
}
