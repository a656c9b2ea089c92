namespace PocketTts.Text.Pauses;

/// <summary>
/// One piece of a text to be spoken, in order: either speech (<see cref="SpeechSegment"/>) or silence
/// (<see cref="PauseSegment"/>). Made by <see cref="PauseMarkup.Parse"/>, <see cref="NaturalPauses.Split"/> and
/// <see cref="TextSegmenter.Segment"/>; immutable and thread-safe.
/// </summary>
public abstract record TextSegment
{
    private protected TextSegment() { }
}

/// <summary>Text to be spoken: trimmed, never empty, without pause markers.</summary>
/// <param name="Text">The text.</param>
public sealed record SpeechSegment(string Text) : TextSegment;

/// <summary>Silence of an exact length.</summary>
public sealed record PauseSegment : TextSegment
{
    /// <summary>Creates a pause.</summary>
    /// <param name="duration">Length of the silence, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public PauseSegment(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        Duration = duration;
    }

    /// <summary>Length of the silence, ≥ 0.</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// The number of samples of the silence at <paramref name="sampleRate"/>, rounded to the nearest sample (halves
    /// round up): 1.5 s at 24 kHz is 36000 samples, 0.3333 s is 7999.2 → 7999. Computed from whole ticks (100 ns),
    /// without floating point, so equal durations always give equal counts.
    /// </summary>
    /// <param name="sampleRate">Samples per second (24000 for the model's output), &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> is not positive.</exception>
    /// <exception cref="OverflowException">The count does not fit an <see cref="int"/> (a pause of many hours).</exception>
    public int ToSamples(int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Int128 scaled = (Int128)Duration.Ticks * sampleRate;
        return checked((int)((scaled + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond));
    }
}
