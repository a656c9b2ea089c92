namespace PocketTts.Generation;

/// <summary>Rules of the reference's generation loop (pocket_tts/models/tts_model.py, since 3.x).</summary>
/// <param name="MinFramesBeforeEos">An end-of-speech logit above the threshold counts only from this step on.</param>
/// <param name="FadeInSamples">The first audio of each chunk (a fresh Mimi state) is faded in over this many samples.</param>
internal sealed record GenerationRules(int MinFramesBeforeEos, int FadeInSamples)
{
    /// <summary>The reference's rules at <paramref name="sampleRate"/>.</summary>
    /// <remarks>
    /// Before speech starts the EOS logit of some voices crosses the threshold, so the first six steps cannot end a
    /// chunk; and a fresh decoder state starts with a small step (a click), faded in over 5 ms.
    /// </remarks>
    public static GenerationRules For(int sampleRate) => new(6, sampleRate / 200);
}
