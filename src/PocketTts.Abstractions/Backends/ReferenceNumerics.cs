namespace PocketTts.Backends;

/// <summary>
/// The release of the Python reference whose numerics a model follows. The reference changed them in 3.x for every
/// model alike, so this is a caller's choice, not a property of a checkpoint: <see cref="Current"/> unless output must
/// match pocket-tts 2.x bit for bit (its golden fixtures, or audio made with it).
/// </summary>
public enum ReferenceNumerics
{
    /// <summary>
    /// Upstream after 3.3.0: tanh-approximate GELU in every transformer feed-forward block, no end of speech before
    /// the sixth frame, a 5 ms fade-in on the first audio of each chunk, voice prompts trimmed to end on a pause.
    /// </summary>
    Current,

    /// <summary>pocket-tts 2.x (2.1.0): exact GELU, end of speech from the first frame, no fade-in, prompts as given.</summary>
    Before3,
}
