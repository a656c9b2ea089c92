namespace PocketTts.Audio;

/// <summary>Brings any mono audio to the model's input: resampled to the model's rate (the reference's <c>convert_audio</c>).</summary>
public static class AudioPreparation
{
    /// <summary>Resamples mono samples at <paramref name="sampleRate"/> to <paramref name="modelRate"/>.</summary>
    public static float[] ToModelInput(ReadOnlySpan<float> samples, int sampleRate, int modelRate) => Resampler.Resample(samples, sampleRate, modelRate);
}
