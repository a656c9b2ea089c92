using System.Buffers.Binary;

namespace PocketTts.Tokenizer;

/// <summary>
/// SentencePiece's compiled normalisation rules (<c>NormalizerSpec.precompiled_charsmap</c>, e.g. nmt_nfkc):
/// <c>uint32 trie_size (little-endian) | darts trie (trie_size bytes) | replacement strings</c>. The trie maps a
/// UTF-8 source sequence to the offset of its NUL-terminated replacement in the string block.
/// </summary>
internal sealed class PrecompiledCharsMap
{
    private readonly DartsDoubleArray _trie;
    private readonly byte[] _replacements;

    /// <exception cref="InvalidDataException">The blob is too short or its trie size runs past its end.</exception>
    public PrecompiledCharsMap(ReadOnlySpan<byte> blob)
    {
        if (blob.Length <= 4)
            throw new InvalidDataException($"The precompiled normalization rules are broken: {blob.Length} bytes, expected a 4-byte trie size followed by data.");
        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieSize > (uint)(blob.Length - 4))
            throw new InvalidDataException($"The precompiled normalization rules are broken: the trie size {trieSize} exceeds the {blob.Length - 4} bytes that follow it.");
        _trie = new DartsDoubleArray(blob.Slice(4, (int)trieSize));
        _replacements = blob[(4 + (int)trieSize)..].ToArray();
    }

    /// <summary>
    /// Finds the longest rule whose source is a prefix of <paramref name="text"/>. Returns the number of bytes it
    /// covers (0 when no rule applies) and its replacement, which may be empty (the source is deleted).
    /// </summary>
    /// <exception cref="InvalidDataException">The rule points outside the replacement strings.</exception>
    public int Match(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> replacement)
    {
        int length = _trie.LongestPrefix(text, out int offset);
        if (length == 0)
        {
            replacement = default;
            return 0;
        }
        if ((uint)offset >= (uint)_replacements.Length)
            throw new InvalidDataException($"The precompiled normalization rules are broken: replacement offset {offset} is outside the {_replacements.Length}-byte string block.");
        replacement = _replacements.AsSpan(offset);
        int end = replacement.IndexOf((byte)0);
        if (end >= 0)
            replacement = replacement[..end];
        return length;
    }
}
