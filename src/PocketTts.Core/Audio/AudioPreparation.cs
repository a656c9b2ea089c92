namespace PocketTts.Audio;

/// <summary>
/// Brings mono audio to the model's input, as the reference's <c>get_state_for_audio_prompt</c> does: optionally
/// keep the start of a long voice prompt, then resample to the model's rate (<c>convert_audio</c>).
/// </summary>
public static class AudioPreparation
{
    /// <summary>How much of a voice prompt the reference keeps when it truncates (export-voice and the server): 30 s.</summary>
    public static TimeSpan VoicePromptLimit { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Resamples mono samples at <paramref name="sampleRate"/> to <paramref name="modelRate"/> (a copy when equal).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive.</exception>
    public static float[] ToModelInput(ReadOnlySpan<float> samples, int sampleRate, int modelRate) => Resampler.Resample(samples, sampleRate, modelRate);

    /// <summary>Resamples a clip to <paramref name="modelRate"/> (24000 for every Pocket TTS model).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive.</exception>
    public static float[] ToModelInput(AudioClip clip, int modelRate)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Resampler.Resample(clip.Samples, clip.SampleRate, modelRate);
    }

    /// <summary>
    /// Keeps the first <c>int(seconds · rate)</c> samples of a clip, as the reference does before encoding a voice
    /// prompt (<see cref="VoicePromptLimit"/>); a shorter clip is returned as it is.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative.</exception>
    public static AudioClip Truncate(AudioClip clip, TimeSpan maxDuration)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDuration, TimeSpan.Zero);
        long maxSamples = (long)(maxDuration.TotalSeconds * clip.SampleRate);
        return clip.Samples.Length <= maxSamples ? clip : clip with { Samples = clip.Samples[..(int)maxSamples] };
    }
}
