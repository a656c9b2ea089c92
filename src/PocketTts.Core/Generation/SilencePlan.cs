namespace PocketTts.Generation;

/// <summary>A pause: this many samples of digital silence at the model's sample rate.</summary>
public sealed record SilencePlan : PlanItem
{
    /// <summary>A silence of <paramref name="samples"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is not positive.</exception>
    public SilencePlan(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        Samples = samples;
    }

    /// <summary>Length of the silence in samples, &gt; 0.</summary>
    public int Samples { get; }
}
