using System.Text.RegularExpressions;

namespace PocketTts.Text.Pauses;

/// <summary>
/// Adds the short silences a reader leaves at punctuation: after a sentence end (<c>. ! ?</c>), after an ellipsis
/// (<c>...</c> or <c>…</c>) and after a comma, semicolon or colon, with the lengths of <see cref="PauseOptions"/>.
/// </summary>
/// <remarks>
/// <para>A cut is made only where the punctuation ends a word and a space follows, so "1,234", "3.14" and "10:30"
/// never cut; closing quotes and brackets after the mark are kept with it (<c>"Stop." Then</c>). A period is not a
/// sentence end after a known abbreviation (Dr., Mr., St., e.g., z.B., Sra., …), an initial (<c>J. Smith</c>), a
/// dotted acronym (<c>U.S.</c>), "No." before a number, or when the next word starts with a lower-case letter. Cuts
/// are only made inside a speech segment, between two pieces that hold a letter or digit: never at its ends, where
/// an explicit pause or the end of the text follows anyway. Splitting only at spaces and trimming keeps every word:
/// the words of the pieces, in order, are the words of the input.</para>
/// <para>Run it after <see cref="Normalization.ITextNormalizer"/>, so that numbers are already words. Thread-safe.</para>
/// </remarks>
public static partial class NaturalPauses
{
    private const string Closers = "\"'”’»)]}";
    private const string Openers = "\"'“‘«([{¿¡";

    // Words that end in a period without ending a sentence, in the languages the model speaks (compared
    // case-insensitively, without the period). Dotted ones (e.g., z.B., Sig.ra) are caught as acronyms.
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "vs", "etc", "approx", "ave", "inc", "ltd", "corp",
        "dept", "gen", "gov", "lt", "col", "sgt", "capt", "rev", "hon", "cf", "ca",
        "mme", "mlle", "mgr", "env", "cie",
        "bzw", "usw", "vgl", "ggf", "hr", "fr", "str", "evtl", "inkl", "zzgl",
        "sra", "srta", "dra", "ud", "uds", "pág", "aprox",
        "sig", "dott", "ecc", "avv", "ing",
        "exma", "exmo", "av",
    };

    // Abbreviations that are only abbreviations before a number: "No. 5", but "I said no. Then".
    private static readonly HashSet<string> NumberAbbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "nos", "nr", "vol", "fig", "p", "pp", "art", "ch", "n", "núm",
    };

    /// <summary>Cuts <paramref name="speech"/> at punctuation into speech segments separated by natural pauses.</summary>
    /// <param name="speech">Speech text without pause markers (one <see cref="SpeechSegment"/>'s text).</param>
    /// <param name="options">The pause lengths; validated first.</param>
    /// <returns>
    /// Speech segments alternating with pauses, starting and ending with speech; the whole text, trimmed, as one
    /// segment when natural pauses are off or no cut applies; empty for blank text.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IReadOnlyList<TextSegment> Split(string speech, PauseOptions options)
    {
        ArgumentNullException.ThrowIfNull(speech);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var segments = new SegmentBuilder(options.MaxPause);
        SplitInto(segments, speech, options);
        return segments.Build();
    }

    /// <summary>
    /// Applies <see cref="Split"/> to every speech segment of <paramref name="segments"/>; a natural pause never
    /// lands next to an existing pause, and pauses that meet merge as in <see cref="PauseMarkup.Parse"/>.
    /// </summary>
    /// <param name="segments">Segments from <see cref="PauseMarkup.Parse"/>, possibly normalised.</param>
    /// <param name="options">The pause lengths; validated first.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IReadOnlyList<TextSegment> Insert(IEnumerable<TextSegment> segments, PauseOptions options)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var result = new SegmentBuilder(options.MaxPause);
        foreach (TextSegment segment in segments)
        {
            if (segment is SpeechSegment speech)
                SplitInto(result, speech.Text, options);
            else
                result.Add(segment);
        }
        return result.Build();
    }

    private static void SplitInto(SegmentBuilder segments, string speech, PauseOptions options)
    {
        if (!options.NaturalPauses)
        {
            segments.AddSpeech(speech);
            return;
        }
        int lastWordCharacter = IndexOfLastWordCharacter(speech);
        int start = 0;
        bool pieceHasWord = false;
        for (Match word = Word().Match(speech); word.Success; word = word.NextMatch())
        {
            int end = word.Index + word.Length;
            pieceHasWord |= HasWordCharacter(word.ValueSpan);
            if (!pieceHasWord || lastWordCharacter < end)
                continue;
            TimeSpan pause = PauseAfter(word.Value, NextWord(speech, end), options);
            if (pause <= TimeSpan.Zero)
                continue;
            segments.AddSpeech(speech.AsSpan(start, end - start));
            segments.AddPause(pause);
            start = end;
            pieceHasWord = false;
        }
        segments.AddSpeech(speech.AsSpan(start));
    }

    /// <summary>The natural pause after <paramref name="word"/> (a run of non-spaces), zero for none.</summary>
    private static TimeSpan PauseAfter(string word, ReadOnlySpan<char> next, PauseOptions options)
    {
        ReadOnlySpan<char> core = word.AsSpan().TrimEnd(Closers);
        if (core.EndsWith("...", StringComparison.Ordinal) || core.EndsWith("…", StringComparison.Ordinal))
            return options.EllipsisPause;
        if (core.IsEmpty)
            return TimeSpan.Zero;
        return core[^1] switch
        {
            '!' or '?' => options.SentencePause,
            '.' when EndsSentence(core[..^1].TrimStart(Openers), next) => options.SentencePause,
            ',' or ';' or ':' => options.CommaPause,
            _ => TimeSpan.Zero,
        };
    }

    /// <summary>Whether a period after <paramref name="stem"/>, followed by <paramref name="next"/>, ends a sentence.</summary>
    private static bool EndsSentence(ReadOnlySpan<char> stem, ReadOnlySpan<char> next)
    {
        next = next.TrimStart(Openers);
        if (next.Length > 0 && char.IsLower(next[0]))
            return false;                                           // "approx. five", "etc. and so on"
        if (stem.Length == 1 && char.IsUpper(stem[0]))
            return false;                                           // an initial: "J. Smith"
        if (stem.Contains('.'))
            return false;                                           // a dotted acronym: "U.S.", "e.g.", "z.B."
        if (Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(stem))
            return false;
        return !(next.Length > 0 && char.IsDigit(next[0])
            && NumberAbbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(stem));
    }

    private static ReadOnlySpan<char> NextWord(string speech, int from)
    {
        ReadOnlySpan<char> rest = speech.AsSpan(from).TrimStart();
        int end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
            end++;
        return rest[..end];
    }

    private static bool HasWordCharacter(ReadOnlySpan<char> text) => IndexOfLastWordCharacter(text) >= 0;

    private static int IndexOfLastWordCharacter(ReadOnlySpan<char> text)
    {
        int i = text.Length - 1;
        while (i >= 0 && !char.IsLetterOrDigit(text[i]))
            i--;
        return i;
    }

    /// <summary>A word in the loose sense: a run of non-whitespace characters.</summary>
    [GeneratedRegex(@"\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
