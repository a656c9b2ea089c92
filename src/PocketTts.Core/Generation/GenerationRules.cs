using PocketTts.Backends;

namespace PocketTts.Generation;

/// <summary>The rules of the generation loop that changed between reference releases (pocket_tts/models/tts_model.py).</summary>
/// <param name="MinFramesBeforeEos">An end-of-speech logit above the threshold counts only from this step on.</param>
/// <param name="FadeInSamples">The first audio of each chunk (a fresh Mimi state) is faded in over this many samples.</param>
internal sealed record GenerationRules(int MinFramesBeforeEos, int FadeInSamples)
{
    /// <summary>The rules of a reference release at <paramref name="sampleRate"/>.</summary>
    public static GenerationRules For(ReferenceNumerics numerics, int sampleRate) => numerics switch
    {
        ReferenceNumerics.Before3 => new(0, 0),
        // Since 3.x: before speech starts the EOS logit of some voices crosses the threshold, so the first six steps
        // cannot end a chunk; and a fresh decoder state starts with a small step (a click), faded in over 5 ms.
        _ => new(6, sampleRate / 200),
    };
}
