namespace PocketTts.Audio;

/// <summary>Mono audio: samples nominally in [−1, 1] and their rate.</summary>
/// <param name="Samples">The samples.</param>
/// <param name="SampleRate">Samples per second (positive).</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>The samples.</summary>
    public float[] Samples { get; init; } = Samples ?? throw new ArgumentNullException(nameof(Samples));

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; init; } = SampleRate > 0 ? SampleRate : throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "A sample rate must be positive.");

    /// <summary>The clip's duration.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
