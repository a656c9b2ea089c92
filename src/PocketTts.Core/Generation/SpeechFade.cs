namespace PocketTts.Generation;

/// <summary>
/// The short ramps that join speech to a pause: speech cut off mid-waveform next to digital silence clicks, so the
/// last samples before a pause fade out and the first samples after one fade in. A raised-cosine ramp of 10 ms is
/// long enough to remove the click and too short to hear as a fade.
/// </summary>
internal static class SpeechFade
{
    /// <summary>Length of a ramp in samples at <paramref name="sampleRate"/> (10 ms).</summary>
    public static int Length(int sampleRate) => sampleRate / 100;

    /// <summary>Fades the last <paramref name="length"/> samples of <paramref name="samples"/> out.</summary>
    public static void Out(Span<float> samples, int length)
    {
        length = Math.Min(length, samples.Length);
        Span<float> tail = samples[^length..];
        for (int i = 0; i < length; i++)
            tail[i] *= Gain(length - i, length);
    }

    /// <summary>Fades the first <paramref name="length"/> samples of <paramref name="samples"/> in.</summary>
    public static void In(Span<float> samples, int length)
    {
        length = Math.Min(length, samples.Length);
        for (int i = 0; i < length; i++)
            samples[i] *= Gain(i + 1, length);
    }

    /// <summary>
    /// The gain at <paramref name="position"/> of 1..<paramref name="length"/> along a rising ramp: never exactly 0 (the
    /// silence is the pause, not the ramp) and 1 at the end.
    /// </summary>
    internal static float Gain(int position, int length) =>
        (float)(0.5 - 0.5 * Math.Cos(Math.PI * position / length));
}
