namespace PocketTts.Text.Pauses;

/// <summary>
/// How pauses are made: the lengths of pause markers (<c>[pause]</c>, <c>&lt;break/&gt;</c>, see
/// <see cref="PauseMarkup"/>) and of the natural pauses added at punctuation (see <see cref="NaturalPauses"/>).
/// Natural pauses are opt-in (<see cref="NaturalPauses"/>): by default only explicit markers make silence, so text
/// without markers is chunked and generated exactly as the reference does. A natural length of zero disables that pause.
/// </summary>
public sealed record PauseOptions
{
    /// <summary>The largest value <see cref="MaxPause"/> may take: one minute.</summary>
    public static readonly TimeSpan MaxPauseLimit = TimeSpan.FromMinutes(1);

    /// <summary>Length of a bare <c>[pause]</c> marker. Default 500 ms.</summary>
    public TimeSpan DefaultPause { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest pause: longer markers, and adjacent pauses that add up to more, are clamped to it (not rejected).
    /// Default 10 s; at most <see cref="MaxPauseLimit"/>.
    /// </summary>
    public TimeSpan MaxPause { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether natural pauses are added at punctuation; false disables all three lengths below. Default false: cutting
    /// at punctuation changes the chunks the model sees (and their prosody), so the output is no longer the reference's.
    /// </summary>
    public bool NaturalPauses { get; init; }

    /// <summary>Natural pause after a comma, semicolon or colon followed by a space. Default 150 ms; zero disables it.</summary>
    public TimeSpan CommaPause { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Natural pause after a sentence end (<c>. ! ?</c>) followed by more text. Default 250 ms; zero disables it.</summary>
    public TimeSpan SentencePause { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Natural pause after an ellipsis (<c>...</c> or <c>…</c>) followed by more text. Default 300 ms; zero disables it.</summary>
    public TimeSpan EllipsisPause { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Throws when a length is out of range; the message names it and the accepted range.</summary>
    /// <exception cref="InvalidInputException">A length is negative or longer than allowed; <see cref="PocketTtsException.Subject"/>
    /// is the property's name and <see cref="PocketTtsException.Value"/> the length in milliseconds.</exception>
    public void Validate()
    {
        if (MaxPause <= TimeSpan.Zero || MaxPause > MaxPauseLimit)
            throw new InvalidInputException($"must be > 0 and at most {MaxPauseLimit.TotalSeconds} s.", nameof(MaxPause), Milliseconds(MaxPause));
        CheckLength(DefaultPause, nameof(DefaultPause));
        CheckLength(CommaPause, nameof(CommaPause));
        CheckLength(SentencePause, nameof(SentencePause));
        CheckLength(EllipsisPause, nameof(EllipsisPause));
    }

    private void CheckLength(TimeSpan length, string name)
    {
        if (length < TimeSpan.Zero || length > MaxPause)
            throw new InvalidInputException($"must be ≥ 0 and at most the longest pause ({MaxPause.TotalMilliseconds} ms).", name, Milliseconds(length));
    }

    private static string Milliseconds(TimeSpan length) => length.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
