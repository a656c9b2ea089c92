using System.Buffers.Binary;

namespace PocketTts.Tokenizer;

/// <summary>
/// A read-only darts-clone double-array trie, the structure inside SentencePiece's precompiled normalisation rules.
/// Each 32-bit unit packs a label (byte 0–7, bit 31 marks a value unit so it never equals a key byte), a has-leaf
/// flag (bit 8) and the XOR offset of its children (bits 10–31, scaled by 256 when bit 9 is set); the child of
/// node n for byte b sits at n ^ offset(n) ^ b, and a key's value sits in the unit at n ^ offset(n) after its last byte.
/// </summary>
internal sealed class DartsDoubleArray
{
    private readonly uint[] _units;

    /// <param name="blob">The units, little-endian; a trailing partial unit is ignored, as darts does.</param>
    public DartsDoubleArray(ReadOnlySpan<byte> blob)
    {
        _units = new uint[blob.Length / 4];
        for (int i = 0; i < _units.Length; i++)
            _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(4 * i, 4));
    }

    /// <summary>
    /// The longest key that is a prefix of <paramref name="text"/> (darts' <c>commonPrefixSearch</c>, keeping the
    /// last, i.e. longest, result as SentencePiece's <c>NormalizePrefix</c> does). Returns its length in bytes, 0 if none.
    /// </summary>
    public int LongestPrefix(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (_units.Length == 0)
            return 0;
        int longest = 0;
        uint node = Offset(_units[0]);
        for (int i = 0; i < text.Length; i++)
        {
            byte b = text[i];
            node ^= b;
            if (node >= (uint)_units.Length || Label(_units[node]) != b)
                break;
            uint unit = _units[node];
            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (node >= (uint)_units.Length)
                    break;
                longest = i + 1;
                value = (int)(_units[node] & 0x7FFFFFFFu);
            }
        }
        return longest;
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static uint Label(uint unit) => unit & (0x80000000u | 0xFFu);

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
