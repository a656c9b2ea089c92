namespace Sample.PocketTtsBackend;

/// <summary>.NET has no erf; GELU needs erfc without cancellation in either tail.</summary>
internal static class SpecialFunctions
{
    /// <summary>erfc(z) to about 1e-15 for every z.</summary>
    public static double Erfc(double z)
    {
        if (z < 0)
            return 2 - Erfc(-z);
        if (z < 2.5)
        {
            // erf(z) = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)): all terms positive.
            double term = z, sum = z;
            for (int n = 1; n < 500 && term > 1e-18 * sum; n++)
            {
                term *= 2 * z * z / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        }
        // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))).
        double f = z;
        for (int n = 200; n >= 1; n--)
            f = z + n / 2.0 / f;
        return Math.Exp(-z * z) / (Math.Sqrt(Math.PI) * f);
    }
}
