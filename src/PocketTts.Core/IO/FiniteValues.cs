namespace PocketTts.IO;

/// <summary>
/// Checks floats read from outside input (voice states, float WAV samples). A NaN, an infinity or a value near
/// float32's limit (3e38) passes every shape check, then turns attention or the encoder into NaN and the generation
/// into silence of maximum length; refusing it at load gives an error instead.
/// </summary>
internal static class FiniteValues
{
    /// <summary>The index of the first value that is NaN, infinite or larger than <paramref name="limit"/> in magnitude; -1 when none is.</summary>
    public static int FindOutside(ReadOnlySpan<float> values, float limit)
    {
        for (int i = 0; i < values.Length; i++)
        {
            // Written so that NaN, which fails every comparison, is outside too.
            if (!(MathF.Abs(values[i]) <= limit))
                return i;
        }
        return -1;
    }
}
