namespace PocketTts.Audio;

/// <summary>
/// The low-pass FIR that <c>scipy.signal.resample_poly</c> designs:
/// <c>firwin(numTaps, cutoff, window=('kaiser', 5.0))</c>, computed step by step as scipy 1.10 and numpy compute it
/// in float64, so that the taps round to the same float32 values.
/// </summary>
internal static class KaiserLowPass
{
    /// <summary>resample_poly's default window is <c>('kaiser', 5.0)</c>.</summary>
    public const double Beta = 5.0;

    /// <summary>
    /// firwin with <c>pass_zero=True, scale=True</c> and the Nyquist frequency at 1: a windowed sinc
    /// <c>cutoff · sinc(cutoff · m)</c>, m the distance from the centre tap, divided by its sum (unit gain at DC).
    /// </summary>
    /// <param name="numTaps">Odd number of taps.</param>
    /// <param name="cutoff">Cutoff relative to Nyquist, in (0, 1].</param>
    public static double[] Design(int numTaps, double cutoff)
    {
        var h = new double[numTaps];
        double alpha = 0.5 * (numTaps - 1);
        double i0Beta = CephesI0(Beta);
        for (int n = 0; n < numTaps; n++)
        {
            double m = n - alpha;
            h[n] = cutoff * Sinc(cutoff * m) * KaiserWindow(n, alpha, i0Beta);
        }
        double sum = PairwiseSum(h);
        for (int n = 0; n < numTaps; n++)
            h[n] /= sum;
        return h;
    }

    /// <summary>numpy.sinc: sin(πx)/(πx), with x = 0 replaced by 1e-20 rather than special-cased.</summary>
    private static double Sinc(double x)
    {
        double y = Math.PI * (x == 0 ? 1e-20 : x);
        return Math.Sin(y) / y;
    }

    /// <summary>scipy.signal.windows.kaiser(M, β, sym=True) at index n, alpha = (M − 1) / 2.</summary>
    private static double KaiserWindow(int n, double alpha, double i0Beta)
    {
        double r = (n - alpha) / alpha;
        return CephesI0(Beta * Math.Sqrt(1 - r * r)) / i0Beta;
    }

    /// <summary>
    /// scipy.special.i0 (Cephes) on [0, 8]: exp(x) times a 30-term Chebyshev series of exp(−x)·I0(x) in x/2 − 2.
    /// The window only evaluates 0 ≤ x ≤ β = 5, so the second Cephes interval (x &gt; 8) is never needed.
    /// </summary>
    private static double CephesI0(double x)
    {
        System.Diagnostics.Debug.Assert(x is >= 0 and <= 8, "the Kaiser window evaluates I0 on [0, β] only");
        ReadOnlySpan<double> a =
        [
            -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
            1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
            -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
            9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
            -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
            1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
            -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
            1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
            -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
            1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1,
        ];
        // Clenshaw recurrence, coefficients consumed front to back (Cephes chbevl).
        double t = x / 2.0 - 2.0, b0 = a[0], b1 = 0, b2 = 0;
        for (int i = 1; i < a.Length; i++)
        {
            b2 = b1;
            b1 = b0;
            b0 = t * b1 - b2 + a[i];
        }
        return Math.Exp(x) * (0.5 * (b0 - b2));
    }

    /// <summary>
    /// numpy's float64 sum of a contiguous array: pairwise, with blocks of at most 128 summed in eight interleaved
    /// lanes. The order matters: it decides the last bit of every tap after the division.
    /// </summary>
    private static double PairwiseSum(ReadOnlySpan<double> a)
    {
        if (a.Length < 8)
        {
            double res = 0;
            foreach (double v in a)
                res += v;
            return res;
        }
        if (a.Length <= 128)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < a.Length - a.Length % 8; i += 8)
            {
                for (int j = 0; j < 8; j++)
                    r[j] += a[i + j];
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < a.Length; i++)
                res += a[i];
            return res;
        }
        int half = a.Length / 2;
        half -= half % 8;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }
}
