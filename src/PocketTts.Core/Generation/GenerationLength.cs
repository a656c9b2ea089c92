namespace PocketTts.Generation;

/// <summary>How long a chunk may become (<c>TTSModel._estimate_max_gen_len</c>).</summary>
internal static class GenerationLength
{
    private const double TokensPerSecond = 3;
    private const double PaddingSeconds = 2;

    /// <summary>ceil((tokens / 3 + 2) · frameRate) frames.</summary>
    public static int MaxFrames(int tokenCount, double frameRate) => (int)Math.Ceiling((tokenCount / TokensPerSecond + PaddingSeconds) * frameRate);
}
