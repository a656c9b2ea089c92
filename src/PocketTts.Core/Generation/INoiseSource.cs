namespace PocketTts.Generation;

/// <summary>
/// Where the flow noise comes from: one draw of <c>LatentDim</c> values per generated frame, in frame order.
/// The default is <see cref="GaussianNoise"/>; tests replace it to inject the reference's recorded noise.
/// One instance serves one generation at a time.
/// </summary>
public interface INoiseSource
{
    /// <summary>
    /// Fills <paramref name="noise"/> with values from N(0, std²), truncated to ±<paramref name="clamp"/> when set.
    /// </summary>
    void Fill(Span<float> noise, float std, float? clamp);
}
