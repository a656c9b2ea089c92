using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;

namespace PocketTts.Generation;

/// <summary>
/// How speech is generated. The defaults generate what the Python reference generates
/// (<c>pocket_tts/default_parameters.py</c>): natural pauses are opt-in (<see cref="PauseOptions.NaturalPauses"/>),
/// and text normalisation, on by default, leaves a text without numbers, symbols or abbreviations unchanged. Explicit
/// pause markers are honoured; <c>TextNormalizer = TextNormalizers.PassThrough</c> turns normalisation off.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>
    /// Variance of the flow noise; 0 makes generation deterministic. Null (the default) uses the model configuration's
    /// <c>default_temperature</c>, as the reference does since 3.x: 0.3 for every shipped model.
    /// </summary>
    public float? Temperature { get; init; }

    /// <summary>LSD decoding steps per frame (≥ 1). Default 1.</summary>
    public int LsdDecodeSteps { get; init; } = 1;

    /// <summary>When set, noise is drawn from a normal distribution truncated to ±this value. Default none.</summary>
    public float? NoiseClamp { get; init; }

    /// <summary>A frame whose end-of-speech logit exceeds this value marks the end of speech. Default −4.</summary>
    public float EosThreshold { get; init; } = -4f;

    /// <summary>
    /// Frames generated after the end of speech is detected; null uses the model's recommendation or, without
    /// one, a guess from each chunk's length (as the reference does). Default null.
    /// </summary>
    public int? FramesAfterEos { get; init; }

    /// <summary>Maximum tokens per text chunk; longer texts are split at sentence boundaries. Default 50.</summary>
    public int MaxTokensPerChunk { get; init; } = 50;

    /// <summary>Seed of the default noise source; null draws a random seed. Default null.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Pause markers (<c>[pause:500ms]</c>, <c>&lt;break time="1s"/&gt;</c>) and natural pauses at punctuation: their
    /// lengths, and whether natural pauses are added. Each pause splits generation: the text on either side is spoken
    /// as separate chunks, with exact digital silence between. Default: <see cref="PauseOptions"/>' defaults (markers
    /// only, no natural pauses).
    /// </summary>
    public PauseOptions Pauses { get; init; } = new();

    /// <summary>
    /// Rewrites numbers, currency, abbreviations and the like into words before tokenising; null uses the model's
    /// language (<see cref="TextNormalizers.For"/> of <see cref="Backends.ModelSource.Language"/>, no change when the
    /// language is unknown). <see cref="TextNormalizers.PassThrough"/> turns normalisation off. Default null.
    /// </summary>
    public ITextNormalizer? TextNormalizer { get; init; }

    /// <summary>
    /// Whether Mimi decodes a frame on a thread of its own while FlowLM samples the next (true), or the two take turns
    /// on one thread (false: each stage's time, <see cref="Observer"/>, is then its own). Null, the default, overlaps
    /// them only where a core is left for the second stage (<see cref="Backends.IBackend.ComputeThreads"/> below the
    /// cores of this process): on cores that one stage's parallel loops already fill, the two slow each other down
    /// more than taking turns costs. A browser always takes turns.
    /// </summary>
    public bool? OverlapStages { get; init; }

    /// <summary>Told the time of each stage as the generation runs (profiling); null, the default, measures nothing.</summary>
    public IGenerationObserver? Observer { get; init; }

    /// <summary>Throws when a value is out of range; the message names it and the accepted range.</summary>
    /// <exception cref="InvalidInputException">A value is out of range; <see cref="PocketTtsException.Subject"/> is the property's name.</exception>
    public void Validate()
    {
        if (Temperature is { } temperature && (!(temperature >= 0) || float.IsInfinity(temperature)))
            throw OutOfRange(nameof(Temperature), temperature, "expected a finite number ≥ 0.");
        if (LsdDecodeSteps < 1)
            throw OutOfRange(nameof(LsdDecodeSteps), LsdDecodeSteps, "expected a whole number ≥ 1.");
        if (NoiseClamp is { } clamp && !(clamp > 0))
            throw OutOfRange(nameof(NoiseClamp), clamp, "expected a number > 0, or none.");
        if (float.IsNaN(EosThreshold))
            throw OutOfRange(nameof(EosThreshold), EosThreshold, "expected a number.");
        if (FramesAfterEos is < 0)
            throw OutOfRange(nameof(FramesAfterEos), FramesAfterEos.Value, "expected a whole number ≥ 0, or none.");
        if (MaxTokensPerChunk < 1)
            throw OutOfRange(nameof(MaxTokensPerChunk), MaxTokensPerChunk, "expected a whole number ≥ 1.");
        if (Pauses is null)
            throw new InvalidInputException("must be set (new PauseOptions() keeps explicit markers only).", nameof(Pauses), value: null);
        Pauses.Validate();
    }

    private static InvalidInputException OutOfRange<T>(string name, T value, string expected) where T : IFormattable =>
        new(expected, name, value.ToString(null, System.Globalization.CultureInfo.InvariantCulture));
}
