namespace PocketTts.Audio;

/// <summary>Mono audio: samples nominally in [−1, 1] and their rate.</summary>
/// <param name="Samples">The samples.</param>
/// <param name="SampleRate">Samples per second.</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>The clip's duration.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
