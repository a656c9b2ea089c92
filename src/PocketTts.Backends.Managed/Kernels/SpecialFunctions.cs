using System.Runtime.CompilerServices;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// exp, expm1 and erfc in float32 with relative errors of one or two units in the last place (erfc: below
/// 2.5e-7), each as a scalar and a lane-wise function of any width (<see cref="IVectorMath{TVector}"/>) computing
/// the same formula, so that a value does not depend on whether it fell in a vector body or a scalar tail. GELU, ELU, SiLU and the softmax use them.
/// </summary>
internal static class SpecialFunctions
{
    // exp: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite: ln2 split so n·Ln2High is exact), exp(r) by its Taylor
    // series to r⁷ (the remainder r⁸/8! < 6e-9 is a tenth of a unit in the last place), times 2ⁿ built in the
    // exponent bits.
    private const float Log2E = 1.44269504f;
    private const float Ln2High = 0.693145751953125f;
    private const float Ln2Low = 1.42860682e-6f;
    private const float MinExpArgument = -87.33654f;   // ln of the smallest normal float; below, the result is 0
    private const float MaxExpArgument = 88.72283f;    // ln of the largest float; above, the result is +∞
    private const float F2 = 1f / 2;
    private const float F3 = 1f / 6;
    private const float F4 = 1f / 24;
    private const float F5 = 1f / 120;
    private const float F6 = 1f / 720;
    private const float F7 = 1f / 5040;

    /// <summary>e^x; 0 below the normal range, +∞ above it, NaN for NaN.</summary>
    public static float Exp(float x)
    {
        if (!(x >= MinExpArgument))
            return float.IsNaN(x) ? x : 0f;
        if (x > MaxExpArgument)
            return float.PositiveInfinity;
        float n = MathF.Round(x * Log2E);
        float r = Simd.MultiplyAdd(n, -Ln2Low, Simd.MultiplyAdd(n, -Ln2High, x));
        float p = Simd.MultiplyAdd(F7, r, F6);
        p = Simd.MultiplyAdd(p, r, F5);
        p = Simd.MultiplyAdd(p, r, F4);
        p = Simd.MultiplyAdd(p, r, F3);
        p = Simd.MultiplyAdd(p, r, F2);
        p = Simd.MultiplyAdd(p, r, 1f);
        p = Simd.MultiplyAdd(p, r, 1f);
        // 2ⁿ in two factors, so that n = 128 (x just below MaxExpArgument) does not overflow the exponent bits.
        int half = (int)n >> 1;
        return p * BitConverter.Int32BitsToSingle((half + 127) << 23) * BitConverter.Int32BitsToSingle(((int)n - half + 127) << 23);
    }

    /// <inheritdoc cref="Exp(float)"/>
    public static TVector Exp<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        TVector low = TLanes.Broadcast(MinExpArgument), high = TLanes.Broadcast(MaxExpArgument);
        TVector c = TLanes.Clamp(x, low, high);
        TVector n = TLanes.Round(TLanes.Multiply(c, TLanes.Broadcast(Log2E)));
        TVector r = TLanes.MultiplyAdd(n, TLanes.Broadcast(-Ln2Low), TLanes.MultiplyAdd(n, TLanes.Broadcast(-Ln2High), c));
        TVector p = TLanes.MultiplyAdd(TLanes.Broadcast(F7), r, TLanes.Broadcast(F6));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(F5));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(F4));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(F3));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(F2));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(1f));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(1f));
        TVector result = TLanes.ScaleByPowerOfTwo(p, n);
        result = TLanes.Select(TLanes.LessThan(x, low), TLanes.Broadcast(0f), result);
        result = TLanes.Select(TLanes.GreaterThan(x, high), TLanes.Broadcast(float.PositiveInfinity), result);
        return TLanes.Select(TLanes.IsNaN(x), x, result);
    }

    // expm1 on [−0.5, 0], where exp(x) − 1 would cancel: Taylor to x⁹, remainder x¹⁰/10! < 3e-10.
    private const float ExpM1SeriesLimit = -0.5f;
    private const float F8 = 1f / 40320;
    private const float F9 = 1f / 362880;

    /// <summary>exp(x) − 1 for x ≤ 0, without the cancellation of the direct formula near 0.</summary>
    public static float ExpM1(float x)
    {
        if (x < ExpM1SeriesLimit)
            return Exp(x) - 1f;
        float p = Simd.MultiplyAdd(F9, x, F8);
        p = Simd.MultiplyAdd(p, x, F7);
        p = Simd.MultiplyAdd(p, x, F6);
        p = Simd.MultiplyAdd(p, x, F5);
        p = Simd.MultiplyAdd(p, x, F4);
        p = Simd.MultiplyAdd(p, x, F3);
        p = Simd.MultiplyAdd(p, x, F2);
        return Simd.MultiplyAdd(p * x, x, x);
    }

    /// <inheritdoc cref="ExpM1(float)"/>
    public static TVector ExpM1<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        TVector p = TLanes.MultiplyAdd(TLanes.Broadcast(F9), x, TLanes.Broadcast(F8));
        p = TLanes.MultiplyAdd(p, x, TLanes.Broadcast(F7));
        p = TLanes.MultiplyAdd(p, x, TLanes.Broadcast(F6));
        p = TLanes.MultiplyAdd(p, x, TLanes.Broadcast(F5));
        p = TLanes.MultiplyAdd(p, x, TLanes.Broadcast(F4));
        p = TLanes.MultiplyAdd(p, x, TLanes.Broadcast(F3));
        p = TLanes.MultiplyAdd(p, x, TLanes.Broadcast(F2));
        TVector series = TLanes.MultiplyAdd(TLanes.Multiply(p, x), x, x);
        TVector direct = TLanes.Subtract(Exp<TLanes, TVector>(x), TLanes.Broadcast(1f));
        return TLanes.Select(TLanes.LessThan(x, TLanes.Broadcast(ExpM1SeriesLimit)), direct, series);
    }

    // erfc on [0, 0.5): 1 − erf(z), erf(z) = z · Σ Sₙ·z²ⁿ with Sₙ = 2/√π · (−1)ⁿ / (n!·(2n + 1)) (Taylor; the
    // remainder at z = 0.5 is below 1e-9). erfc ≥ 0.48 there, so the subtraction costs nothing.
    private const float ErfcSeriesLimit = 0.5f;
    private const float S0 = 1.1283791670955126f;
    private const float S1 = -0.37612638903183754f;
    private const float S2 = 0.11283791670955126f;
    private const float S3 = -0.026866170645131252f;
    private const float S4 = 0.005223977625442188f;
    private const float S5 = -0.0008548327023450852f;
    private const float S6 = 0.00012055332981789664f;

    // erfc on [0.5, ∞): exp(−z²) · t · R(u), t = 1/(1 + z), u = (66/19)·t − 25/19 ∈ [−1, 1] for z ∈ [0.5, 10].
    // R(u) = erfcx(z)/t is smooth in u (the substitution sends z = ∞ to t = 0, outside the interval); its
    // degree-10 polynomial was fitted here for minimum relative error (weighted least squares on Chebyshev nodes
    // with Lawson iterations, against a float64 erfcx). Beyond z = 10, erfc < 2e-45 is not a float anyway.
    private const float MaxErfcArgument = 10f;
    private const float UScale = 66f / 19;
    private const float UShift = -25f / 19;
    private const float R0 = 0.7922251f;
    private const float R1 = 0.16118865f;
    private const float R2 = -0.024951095f;
    private const float R3 = -0.008252398f;
    private const float R4 = 0.0036787516f;
    private const float R5 = -8.387515E-05f;
    private const float R6 = -0.00041442804f;
    private const float R7 = 0.00016333758f;
    private const float R8 = -2.454406E-06f;
    private const float R9 = -2.3419083E-05f;
    private const float R10 = 7.2990288E-06f;

    /// <summary>erfc(z) for z ≥ 0.</summary>
    public static float Erfc(float z)
    {
        float hi = z * z;
        return Erfc(z, hi, Simd.SquareError(z, hi));
    }

    /// <inheritdoc cref="Erfc(float)"/>
    public static TVector Erfc<TLanes, TVector>(TVector z)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        TVector hi = TLanes.Multiply(z, z);
        return Erfc<TLanes, TVector>(z, hi, Simd.SquareError<TLanes, TVector>(z, hi));
    }

    /// <summary>
    /// erfc(z) for z ≥ 0 given z² = <paramref name="squareHigh"/> + <paramref name="squareLow"/> exactly. The
    /// Gaussian factor is exp(−high)·(1 − low): exp of a rounded z² would lose z²·2⁻²⁴ of relative accuracy,
    /// 6e-6 at z = 10. Relative accuracy holds while erfc is a normal float (z below about 9.2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Erfc(float z, float squareHigh, float squareLow)
    {
        if (z < ErfcSeriesLimit)
        {
            float s = Simd.MultiplyAdd(S6, squareHigh, S5);
            s = Simd.MultiplyAdd(s, squareHigh, S4);
            s = Simd.MultiplyAdd(s, squareHigh, S3);
            s = Simd.MultiplyAdd(s, squareHigh, S2);
            s = Simd.MultiplyAdd(s, squareHigh, S1);
            s = Simd.MultiplyAdd(s, squareHigh, S0);
            return 1f - z * s;
        }
        float t = 1f / (1f + MathF.Min(z, MaxErfcArgument));
        float u = Simd.MultiplyAdd(UScale, t, UShift);
        float r = Simd.MultiplyAdd(R10, u, R9);
        r = Simd.MultiplyAdd(r, u, R8);
        r = Simd.MultiplyAdd(r, u, R7);
        r = Simd.MultiplyAdd(r, u, R6);
        r = Simd.MultiplyAdd(r, u, R5);
        r = Simd.MultiplyAdd(r, u, R4);
        r = Simd.MultiplyAdd(r, u, R3);
        r = Simd.MultiplyAdd(r, u, R2);
        r = Simd.MultiplyAdd(r, u, R1);
        r = Simd.MultiplyAdd(r, u, R0);
        return Exp(-squareHigh) * (1f - squareLow) * (t * r);
    }

    /// <inheritdoc cref="Erfc(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Erfc<TLanes, TVector>(TVector z, TVector squareHigh, TVector squareLow)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        TVector s = TLanes.MultiplyAdd(TLanes.Broadcast(S6), squareHigh, TLanes.Broadcast(S5));
        s = TLanes.MultiplyAdd(s, squareHigh, TLanes.Broadcast(S4));
        s = TLanes.MultiplyAdd(s, squareHigh, TLanes.Broadcast(S3));
        s = TLanes.MultiplyAdd(s, squareHigh, TLanes.Broadcast(S2));
        s = TLanes.MultiplyAdd(s, squareHigh, TLanes.Broadcast(S1));
        s = TLanes.MultiplyAdd(s, squareHigh, TLanes.Broadcast(S0));
        TVector one = TLanes.Broadcast(1f);
        TVector series = TLanes.Subtract(one, TLanes.Multiply(z, s));

        TVector t = TLanes.Divide(one, TLanes.Add(one, TLanes.Min(z, TLanes.Broadcast(MaxErfcArgument))));
        TVector u = TLanes.MultiplyAdd(TLanes.Broadcast(UScale), t, TLanes.Broadcast(UShift));
        TVector r = TLanes.MultiplyAdd(TLanes.Broadcast(R10), u, TLanes.Broadcast(R9));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R8));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R7));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R6));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R5));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R4));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R3));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R2));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R1));
        r = TLanes.MultiplyAdd(r, u, TLanes.Broadcast(R0));
        TVector gaussian = TLanes.Multiply(Exp<TLanes, TVector>(TLanes.Negate(squareHigh)), TLanes.Subtract(one, squareLow));
        TVector tail = TLanes.Multiply(gaussian, TLanes.Multiply(t, r));
        return TLanes.Select(TLanes.LessThan(z, TLanes.Broadcast(ErfcSeriesLimit)), series, tail);
    }
}
