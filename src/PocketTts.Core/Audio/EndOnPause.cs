namespace PocketTts.Audio;

/// <summary>
/// Makes a voice prompt end on a pause, as the reference does before encoding one (<c>end_on_pause</c> in
/// pocket_tts/data/audio_utils.py, since 3.x). Training prompts end between two words; a prompt that stops on speech
/// makes the model continue that utterance (a burst or a wrong first word), and one that ends on long silence delays
/// the onset. So the trailing quiet is cut at a 20 ms frame, the last 20 ms that remain fade out, and 200 ms of
/// zeros follow.
/// </summary>
internal static class EndOnPause
{
    private const double FrameSeconds = 0.02;
    private const double FadeSeconds = 0.02;
    private const double PauseSeconds = 0.2;

    // A frame counts as sound when its level is within this many dB of the loudest frame's.
    private const float FloorDb = 35f;

    /// <summary>The prompt <paramref name="samples"/> (mono, at <paramref name="sampleRate"/>) ending on a pause.</summary>
    public static float[] Apply(ReadOnlySpan<float> samples, int sampleRate)
    {
        int frame = Math.Max(1, (int)(FrameSeconds * sampleRate));
        int frames = samples.Length / frame;
        if (frames == 0)
            return samples.ToArray();

        // The reference compares levels in float32 dB, 20·log10(rms + 1e-12) with rms over each whole frame; the
        // squares are summed in double so that the order of the sum (torch's is pairwise) cannot move a level.
        int lastLoud = 0;
        float maxDb = float.NegativeInfinity;
        var db = new float[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            foreach (float s in samples.Slice(f * frame, frame))
                sum += (double)s * s;
            db[f] = 20f * MathF.Log10(MathF.Sqrt((float)(sum / frame)) + 1e-12f);
            maxDb = MathF.Max(maxDb, db[f]);
        }
        for (int f = 0; f < frames; f++)
        {
            if (db[f] > maxDb - FloorDb)
                lastLoud = f;
        }

        int end = (lastLoud + 1) * frame;
        int fade = Math.Min((int)(FadeSeconds * sampleRate), end);
        var result = new float[end + (int)(PauseSeconds * sampleRate)];
        samples[..end].CopyTo(result);
        Span<float> tail = result.AsSpan(end - fade, fade);
        float[] ramp = LinearRamp.Create(fade, 1f, 0f);
        for (int i = 0; i < fade; i++)
            tail[i] *= ramp[i];
        return result;
    }
}
