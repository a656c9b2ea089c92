namespace PocketTts.Tokenizer;

/// <summary>
/// SentencePiece's normaliser (normalizer.cc, <c>Normalizer::Normalize</c>) on UTF-8 bytes: applies the
/// precompiled rules (longest match first), keeps user-defined symbols verbatim, optionally trims and collapses
/// spaces, escapes spaces as U+2581 and adds the dummy-prefix space.
/// </summary>
internal sealed class Normalizer
{
    private readonly NormalizerSpec _spec;
    private readonly bool _whitespaceAsSuffix;
    private readonly PrecompiledCharsMap? _charsMap;
    private readonly PieceTrie? _userDefined;

    /// <param name="spec">The normalizer (or denormalizer) spec of the model.</param>
    /// <param name="whitespaceAsSuffix"><c>TrainerSpec.treat_whitespace_as_suffix</c>: the dummy space goes at the end.</param>
    /// <param name="userDefined">User-defined symbols, passed through unnormalised; null when there are none.</param>
    /// <exception cref="InvalidDataException">The precompiled rules are malformed.</exception>
    public Normalizer(NormalizerSpec spec, bool whitespaceAsSuffix, PieceTrie? userDefined)
    {
        _spec = spec;
        _whitespaceAsSuffix = whitespaceAsSuffix;
        _charsMap = spec.PrecompiledCharsmap.Length == 0 ? null : new PrecompiledCharsMap(spec.PrecompiledCharsmap);
        _userDefined = userDefined is { IsEmpty: false } ? userDefined : null;
    }

    /// <summary>Normalises UTF-8 <paramref name="input"/> into <paramref name="output"/> (cleared first).</summary>
    public void Normalize(ReadOnlySpan<byte> input, List<byte> output)
    {
        output.Clear();
        bool removeExtra = _spec.RemoveExtraWhitespaces;

        // Leading whitespace (after normalisation: a rule may produce the space) is dropped.
        if (removeExtra)
        {
            while (!input.IsEmpty)
            {
                int consumed = NormalizePrefix(input, out ReadOnlySpan<byte> piece);
                if (!piece.SequenceEqual(" "u8))
                    break;
                input = input[consumed..];
            }
        }
        if (input.IsEmpty)
            return;

        if (!_whitespaceAsSuffix && _spec.AddDummyPrefix)
            AppendSpace(output);

        // With removeExtra, spaces that follow a space are dropped, so runs collapse to one.
        bool isPrevSpace = removeExtra;
        while (!input.IsEmpty)
        {
            int consumed = NormalizePrefix(input, out ReadOnlySpan<byte> piece);
            if (isPrevSpace)
                piece = piece.TrimStart((byte)' ');
            if (!piece.IsEmpty)
            {
                foreach (byte b in piece)
                {
                    if (b == ' ')
                        AppendSpace(output);
                    else
                        output.Add(b);
                }
                isPrevSpace = piece[^1] == ' ';
            }
            input = input[consumed..];
            if (!removeExtra)
                isPrevSpace = false;
        }

        if (removeExtra)
        {
            ReadOnlySpan<byte> space = _spec.EscapeWhitespaces ? Utf8Chars.SpaceSymbol : " "u8;
            while (System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output).EndsWith(space))
                output.RemoveRange(output.Count - space.Length, space.Length);
        }

        if (_whitespaceAsSuffix && _spec.AddDummyPrefix)
            AppendSpace(output);
    }

    /// <summary>
    /// <c>NormalizePrefix</c>: normalises the first unit of <paramref name="input"/>, which is a user-defined symbol,
    /// the longest rule match or one UTF-8 character (one malformed byte becomes U+FFFD). Returns the bytes consumed.
    /// </summary>
    private int NormalizePrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> normalized)
    {
        if (_userDefined is not null)
        {
            int length = _userDefined.LongestPrefix(input, out _);
            if (length > 0)
            {
                normalized = input[..length];
                return length;
            }
        }
        if (_charsMap is not null)
        {
            int length = _charsMap.Match(input, out normalized);
            if (length > 0)
                return length;
        }
        int charLength = Utf8Chars.ValidCharLength(input);
        if (charLength == 0)
        {
            normalized = Utf8Chars.ReplacementCharacter;
            return 1;
        }
        normalized = input[..charLength];
        return charLength;
    }

    private void AppendSpace(List<byte> output)
    {
        if (_spec.EscapeWhitespaces)
            output.AddRange(Utf8Chars.SpaceSymbol);
        else
            output.Add((byte)' ');
    }
}
