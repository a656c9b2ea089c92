namespace PocketTts.Audio;

/// <summary>
/// <c>torch.linspace(start, end, count)</c> in float32, as the reference's fades build their ramps: the first half
/// counts up from <c>start</c> and the second half down from <c>end</c> by the same float step, so both ends are
/// exact. (PyTorch's vectorised kernel may round an inner value one ulp differently.)
/// </summary>
internal static class LinearRamp
{
    /// <summary>Fills <paramref name="ramp"/> with its length's evenly spaced values from start to end.</summary>
    public static void Fill(Span<float> ramp, float start, float end)
    {
        int count = ramp.Length;
        if (count == 1)
        {
            ramp[0] = start;
            return;
        }
        float step = (end - start) / (count - 1);
        int halfway = count / 2;
        for (int i = 0; i < count; i++)
            ramp[i] = i < halfway ? start + step * i : end - step * (count - i - 1);
    }

    /// <summary>A new ramp of <paramref name="count"/> values from start to end.</summary>
    public static float[] Create(int count, float start, float end)
    {
        var ramp = new float[count];
        Fill(ramp, start, end);
        return ramp;
    }
}
