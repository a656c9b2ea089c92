namespace PocketTts.Audio;

/// <summary>
/// Polyphase resampling exactly as <c>scipy.signal.resample_poly(x, up, down)</c> does it in the reference's
/// <c>convert_audio</c>: up/down reduced by their gcd; a Kaiser-windowed (β = 5) low-pass FIR of
/// 2·10·max(up, down) + 1 taps with cutoff 1/max(up, down), designed in float64, rounded to float32 and
/// multiplied by up in float32; the signal is zero outside its ends; ceil(n·up/down) samples come out.
/// </summary>
public static class Resampler
{
    private const double KaiserBeta = 5.0;
    private const int HalfLengthPerRate = 10;

    /// <summary>Resamples mono samples from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive.</exception>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
            return input.ToArray();
        int g = Gcd(fromRate, toRate);
        return ResamplePoly(input, toRate / g, fromRate / g);
    }

    /// <summary>The float32 taps scipy applies for a reduced up/down pair (already multiplied by up).</summary>
    public static float[] Taps(int up, int down)
    {
        int maxRate = Math.Max(up, down);
        int halfLength = HalfLengthPerRate * maxRate;
        double[] h = Firwin(2 * halfLength + 1, 1.0 / maxRate);
        var taps = new float[h.Length];
        for (int i = 0; i < h.Length; i++)
            taps[i] = (float)h[i] * up;
        return taps;
    }

    private static float[] ResamplePoly(ReadOnlySpan<float> x, int up, int down)
    {
        float[] taps = Taps(up, down);
        int halfLength = (taps.Length - 1) / 2;
        int inLength = x.Length;
        int outLength = (int)(((long)inLength * up + down - 1) / down);

        // scipy pads the filter in front so that the output is aligned on the filter's centre.
        int prePad = down - halfLength % down;
        int preRemove = (halfLength + prePad) / down;
        int postPad = 0;
        while (UpFirDnLength(taps.Length + prePad + postPad, inLength, up, down) < outLength + preRemove)
            postPad++;
        var h = new float[prePad + taps.Length + postPad];
        taps.CopyTo(h, prePad);

        // y[k] = Σ_j h[j]·xu[k·down − j], xu the input upsampled by up (zeros in between).
        var y = new float[outLength];
        for (int k = 0; k < outLength; k++)
        {
            long m = (long)(k + preRemove) * down;     // position in the upsampled signal
            int firstInput = (int)Math.Max(0, (m - h.Length + up) / up);
            int lastInput = (int)Math.Min(inLength - 1, m / up);
            float sum = 0;
            for (int n = lastInput; n >= firstInput; n--)
            {
                long j = m - (long)n * up;
                if (j < h.Length)
                    sum += h[j] * x[n];
            }
            y[k] = sum;
        }
        return y;
    }

    private static int UpFirDnLength(int filterLength, int inLength, int up, int down) => (((inLength - 1) * up + filterLength) - 1) / down + 1;

    /// <summary>scipy.signal.firwin(numtaps, cutoff, window=('kaiser', 5.0)): a scaled, windowed sinc low-pass.</summary>
    private static double[] Firwin(int numTaps, double cutoff)
    {
        var h = new double[numTaps];
        double alpha = 0.5 * (numTaps - 1);
        double i0Beta = BesselI0(KaiserBeta);
        double sum = 0;
        for (int n = 0; n < numTaps; n++)
        {
            double m = n - alpha;
            double sinc = m == 0 ? 1 : Math.Sin(Math.PI * cutoff * m) / (Math.PI * cutoff * m);
            double ratio = (n - alpha) / alpha;
            double window = BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0, 1 - ratio * ratio))) / i0Beta;
            h[n] = cutoff * sinc * window;
            sum += h[n];
        }
        for (int n = 0; n < numTaps; n++)
            h[n] /= sum;
        return h;
    }

    /// <summary>Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 10).</summary>
    private static double BesselI0(double x)
    {
        double term = 1, sum = 1, q = x * x / 4;
        for (int k = 1; k < 64 && term > sum * 1e-17; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
