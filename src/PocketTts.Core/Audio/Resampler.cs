namespace PocketTts.Audio;

/// <summary>
/// Polyphase resampling exactly as <c>scipy.signal.resample_poly(x, up, down)</c> does it in the reference's
/// <c>convert_audio</c> (<c>pocket_tts/data/audio_utils.py</c>): up/down are the two rates reduced by their gcd; the
/// filter is <see cref="KaiserLowPass"/> with 2·10·max(up, down) + 1 taps and cutoff 1/max(up, down), designed in
/// float64, rounded to float32 and multiplied by up in float32; the signal is zero outside its ends; filtering is
/// in float32, summing in scipy's order; ceil(n·up/down) samples come out. Thread-safe (no shared state).
/// </summary>
public static class Resampler
{
    private const int HalfLengthPerRate = 10;

    /// <summary>Resamples mono samples from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz (a copy when they are equal).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive.</exception>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
            return input.ToArray();
        int g = Gcd(fromRate, toRate);
        return ResamplePoly(input, up: toRate / g, down: fromRate / g);
    }

    /// <summary>The float32 taps scipy applies for a reduced up/down pair, already multiplied by up.</summary>
    /// <exception cref="ArgumentOutOfRangeException">up or down is not positive.</exception>
    public static float[] Taps(int up, int down)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(up);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(down);
        int maxRate = Math.Max(up, down);
        double[] h = KaiserLowPass.Design(2 * HalfLengthPerRate * maxRate + 1, 1.0 / maxRate);
        var taps = new float[h.Length];
        for (int i = 0; i < h.Length; i++)
            taps[i] = (float)h[i] * up;        // h.astype(float32), then h *= up in float32
        return taps;
    }

    // scipy's upfirdn computes full[Y] = Σ_j x[j]·hp[Y·down − j·up], hp the taps behind preRemove·down − halfLength
    // zeros (n_pre_pad), and keeps full[preRemove .. preRemove + outLength): the output is aligned on the filter's
    // centre tap. Dropping the pad, output k reads tap p = (k + preRemove)·down − prePad − j·up of the taps.
    //
    //   taps:        |<-------- 2·halfLength + 1 -------->|
    //   hp:   prePad zeros |  taps                        |
    //                 ^ Y·down indexes hp, stepping back by up for each later input sample
    //
    // upfirdn (_apply_impl in scipy/signal/_upfirdn_apply.pyx) adds the products in float32 from the earliest
    // input sample to the latest; terms outside the signal or the taps are exact zeros and change nothing.
    private static float[] ResamplePoly(ReadOnlySpan<float> x, int up, int down)
    {
        float[] taps = Taps(up, down);
        int halfLength = (taps.Length - 1) / 2;
        int prePad = down - halfLength % down;
        int preRemove = (halfLength + prePad) / down;
        var y = new float[(int)(((long)x.Length * up + down - 1) / down)];
        for (int k = 0; k < y.Length; k++)
        {
            long origin = (long)(k + preRemove) * down - prePad;      // tap index of input sample 0
            long first = Math.Max(0, CeilDiv(origin - (taps.Length - 1), up));
            long last = Math.Min(x.Length - 1, FloorDiv(origin, up));
            float sum = 0;
            for (long j = first; j <= last; j++)
                sum += x[(int)j] * taps[origin - j * up];
            y[k] = sum;
        }
        return y;
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
