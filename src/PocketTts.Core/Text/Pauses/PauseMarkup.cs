using System.Globalization;
using System.Text.RegularExpressions;

namespace PocketTts.Text.Pauses;

/// <summary>
/// Reads pause markers in a text and cuts it into speech and pause segments.
/// </summary>
/// <remarks>
/// <para>Accepted markers (names and units are case-insensitive, spaces inside a marker are allowed):</para>
/// <list type="bullet">
/// <item><c>[pause]</c>: <see cref="PauseOptions.DefaultPause"/> (500 ms by default).</item>
/// <item><c>[pause:500ms]</c>, <c>[pause:1.5s]</c>: an explicit length.</item>
/// <item><c>&lt;break time="700ms"/&gt;</c>, <c>&lt;break time='2s'&gt;</c>: SSML style; <c>/&gt;</c> or <c>&gt;</c>.</item>
/// <item><c>&lt;break strength="…"/&gt;</c>: none = 0, x-weak = 100 ms, weak = 250 ms, medium = 400 ms,
/// strong = 700 ms, x-strong = 1000 ms. When both attributes are given, <c>time</c> wins, as in SSML.</item>
/// <item><c>&lt;break/&gt;</c>: medium (400 ms).</item>
/// </list>
/// <para>A length is a non-negative decimal number followed by <c>ms</c> or <c>s</c>. Lengths above
/// <see cref="PauseOptions.MaxPause"/> are clamped to it; adjacent pauses merge (their sum, clamped); pauses at the
/// start or end of the text are kept; a pause of zero is dropped and the speech around it is joined.</para>
/// <para>Policy for malformed markers: anything that starts like a marker (<c>[pause</c> or <c>&lt;break</c> as a
/// whole word, or <c>&lt;/break</c>) but is not one of the forms above (<c>[pause:fast]</c>, <c>[pause:-1s]</c>,
/// <c>[pause:2]</c>, nested <c>[pause:[pause:1s]]</c>, an unknown attribute) is rejected with a
/// <see cref="PauseMarkupException"/>: the user meant a pause and should learn why it was not understood. Text that
/// merely contains brackets (<c>[laughs]</c>, <c>a &lt; b</c>, <c>&lt;breakfast&gt;</c>) stays text. There is no
/// escape: a literal <c>[pause]</c> cannot be spoken.</para>
/// <para>Speech segments are trimmed, and those left empty are dropped. All members are thread-safe.</para>
/// </remarks>
public static partial class PauseMarkup
{
    private const string AcceptedForms = "Accepted forms: [pause], [pause:500ms], [pause:1.5s], <break/>, "
        + "<break time=\"700ms\"/>, <break strength=\"medium\"/> with strength none, x-weak, weak, medium, strong or "
        + "x-strong; a length is a non-negative number followed by ms or s.";

    private const int MaxExcerpt = 40;

    // The documented SSML strengths; <break/> alone is medium.
    private static readonly Dictionary<string, TimeSpan> Strengths = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = TimeSpan.Zero,
        ["x-weak"] = TimeSpan.FromMilliseconds(100),
        ["weak"] = TimeSpan.FromMilliseconds(250),
        ["medium"] = TimeSpan.FromMilliseconds(400),
        ["strong"] = TimeSpan.FromMilliseconds(700),
        ["x-strong"] = TimeSpan.FromMilliseconds(1000),
    };

    /// <summary>Cuts <paramref name="text"/> into speech and pause segments at its pause markers.</summary>
    /// <param name="text">The user's text.</param>
    /// <param name="options">Pause lengths; validated first.</param>
    /// <returns>Speech and pauses in order, never two pauses or two speech segments in a row; empty for an empty text.</returns>
    /// <exception cref="PauseMarkupException">A marker is malformed; the message says which, where and why.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IReadOnlyList<TextSegment> Parse(string text, PauseOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var segments = new SegmentBuilder(options.MaxPause);
        int start = 0;
        for (Match candidate = MarkerStart().Match(text); candidate.Success; candidate = MarkerStart().Match(text, start))
        {
            segments.AddSpeech(text.AsSpan(start, candidate.Index - start));
            segments.AddPause(ReadMarker(text, candidate.Index, options, out int end));
            start = end;
        }
        segments.AddSpeech(text.AsSpan(start));
        return segments.Build();
    }

    /// <summary>Reads the marker that starts at <paramref name="index"/>, returning its length (clamped later, by the builder).</summary>
    private static TimeSpan ReadMarker(string text, int index, PauseOptions options, out int end)
    {
        bool bracket = text[index] == '[';
        Match marker = bracket ? PauseMarker().Match(text, index) : BreakMarker().Match(text, index);
        if (!marker.Success)
            throw Malformed(text, index, bracket ? BracketProblem(text, index) : BreakProblem(text, index));
        end = marker.Index + marker.Length;

        if (bracket)
        {
            Group value = marker.Groups["value"];
            return value.Success ? ReadLength(value.Value, text, index, options) : options.DefaultPause;
        }

        string? time = null, strength = null;
        foreach (Match attribute in BreakAttribute().Matches(marker.Groups["attributes"].Value))
        {
            string name = attribute.Groups["name"].Value, value = attribute.Groups["value"].Value;
            if (name.Equals("time", StringComparison.OrdinalIgnoreCase) && time is null)
                time = value;
            else if (name.Equals("strength", StringComparison.OrdinalIgnoreCase) && strength is null)
                strength = value;
            else
                throw Malformed(text, index, $"'{name}' is an unknown or repeated attribute (use time or strength, once each)");
        }
        TimeSpan strengthLength = Strengths["medium"];
        if (strength is not null && !Strengths.TryGetValue(strength.Trim(), out strengthLength))
            throw Malformed(text, index, $"'{strength}' is not a strength");
        return time is not null ? ReadLength(time, text, index, options) : strengthLength;
    }

    /// <summary>
    /// Reads "1.5s" or "500 ms" exactly (decimal arithmetic, rounded to the 100 ns tick); clamps here already so that a
    /// huge number cannot overflow a <see cref="TimeSpan"/>.
    /// </summary>
    private static TimeSpan ReadLength(string length, string text, int index, PauseOptions options)
    {
        length = length.Trim();
        if (length.Length == 0)
            throw Malformed(text, index, "the length is missing");
        if (length[0] is '-' or '−')
            throw Malformed(text, index, $"the length '{length}' is negative");
        Match parts = Length().Match(length);
        if (!parts.Success
            || !decimal.TryParse(parts.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            throw Malformed(text, index, $"'{length}' is not a length");
        string unit = parts.Groups["unit"].Value;
        decimal ticksPerUnit = unit.ToUpperInvariant() switch
        {
            "MS" => TimeSpan.TicksPerMillisecond,
            "S" => TimeSpan.TicksPerSecond,
            "" => throw Malformed(text, index, $"the length '{length}' has no unit (write ms or s)"),
            _ => throw Malformed(text, index, $"'{unit}' is not a unit (write ms or s)"),
        };
        if (number >= options.MaxPause.Ticks / ticksPerUnit)
            return options.MaxPause;
        return TimeSpan.FromTicks((long)decimal.Round(number * ticksPerUnit, MidpointRounding.AwayFromZero));
    }

    private static string BracketProblem(string text, int index)
    {
        int close = text.IndexOf(']', index);
        int nested = text.IndexOf('[', index + 1);
        if (nested >= 0 && (close < 0 || nested < close))
            return "markers cannot be nested or contain brackets";
        if (close < 0)
            return "it has no closing ']'";
        return "expected ':' and a length after 'pause'";
    }

    private static string BreakProblem(string text, int index)
    {
        if (ClosingBreak().IsMatch(text, index))
            return "break is an empty element: write <break .../> without a closing tag";
        int close = text.IndexOf('>', index);
        int nested = text.IndexOf('<', index + 1);
        if (close < 0 || (nested >= 0 && nested < close))
            return "it has no closing '>'";
        return "attributes must be written name=\"value\" or name='value'";
    }

    private static PauseMarkupException Malformed(string text, int index, string problem)
    {
        char closer = text[index] == '[' ? ']' : '>';
        int close = text.IndexOf(closer, index);
        int lineEnd = text.IndexOfAny(['\n', '\r'], index);
        int end = close >= 0 && (lineEnd < 0 || close < lineEnd) ? close + 1 : (lineEnd >= 0 ? lineEnd : text.Length);
        string marker = text[index..Math.Min(end, index + MaxExcerpt)];
        if (end > index + MaxExcerpt)
            marker += "…";

        int line = 1, lineStart = 0;
        for (int i = text.IndexOf('\n'); i >= 0 && i < index; i = text.IndexOf('\n', i + 1))
        {
            line++;
            lineStart = i + 1;
        }
        string message = string.Create(CultureInfo.InvariantCulture,
            $"Malformed pause marker \"{marker}\" at line {line}, column {index - lineStart + 1}: {problem}. {AcceptedForms}");
        return new PauseMarkupException(message, marker, index);
    }

    /// <summary>
    /// Where a marker begins: "[pause" (spaces allowed after the bracket) or "&lt;break" / "&lt;/break", as whole words;
    /// "[pause-1s]" is an attempt, "[paused]" and "&lt;break-line&gt;" are not.
    /// </summary>
    [GeneratedRegex(@"\[\s*pause(?![\p{L}\p{N}_])|</?break(?![\p{L}\p{N}_-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerStart();

    [GeneratedRegex(@"\G\[\s*pause\s*(?::(?<value>[^\[\]<>]*))?\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PauseMarker();

    [GeneratedRegex(@"\G<break(?<attributes>(?:\s+[\w-]+\s*=\s*(?:""[^""<>]*""|'[^'<>]*'))*)\s*/?\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BreakMarker();

    [GeneratedRegex(@"(?<name>[\w-]+)\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)')", RegexOptions.CultureInvariant)]
    private static partial Regex BreakAttribute();

    [GeneratedRegex(@"\G</", RegexOptions.CultureInvariant)]
    private static partial Regex ClosingBreak();

    [GeneratedRegex(@"^(?<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(?<unit>[\p{L}]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Length();
}
