using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// exp, expm1 and erfc in float32 with relative errors of one or two units in the last place (erfc: below
/// 2.5e-7), each as a scalar and an 8-lane function computing the same formula, so that a value does not
/// depend on whether it fell in a vector body or a scalar tail. GELU, ELU, SiLU and the softmax use them.
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
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> low = Vector256.Create(MinExpArgument), high = Vector256.Create(MaxExpArgument);
        Vector256<float> c = Vector256.Min(Vector256.Max(x, low), high);
        Vector256<float> n = Vector256.Round(c * Vector256.Create(Log2E));
        Vector256<float> r = Simd.MultiplyAdd(n, Vector256.Create(-Ln2Low), Simd.MultiplyAdd(n, Vector256.Create(-Ln2High), c));
        Vector256<float> p = Simd.MultiplyAdd(Vector256.Create(F7), r, Vector256.Create(F6));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(F5));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(F4));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(F3));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(F2));
        p = Simd.MultiplyAdd(p, r, Vector256<float>.One);
        p = Simd.MultiplyAdd(p, r, Vector256<float>.One);
        Vector256<int> ni = Vector256.ConvertToInt32(n);
        Vector256<int> half = Vector256.ShiftRightArithmetic(ni, 1), bias = Vector256.Create(127);
        Vector256<float> result = p * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, low), Vector256<float>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, high), Vector256.Create(float.PositiveInfinity), result);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, result);
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
    public static Vector256<float> ExpM1(Vector256<float> x)
    {
        Vector256<float> p = Simd.MultiplyAdd(Vector256.Create(F9), x, Vector256.Create(F8));
        p = Simd.MultiplyAdd(p, x, Vector256.Create(F7));
        p = Simd.MultiplyAdd(p, x, Vector256.Create(F6));
        p = Simd.MultiplyAdd(p, x, Vector256.Create(F5));
        p = Simd.MultiplyAdd(p, x, Vector256.Create(F4));
        p = Simd.MultiplyAdd(p, x, Vector256.Create(F3));
        p = Simd.MultiplyAdd(p, x, Vector256.Create(F2));
        Vector256<float> series = Simd.MultiplyAdd(p * x, x, x);
        Vector256<float> direct = Exp(x) - Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpM1SeriesLimit)), direct, series);
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
    public static Vector256<float> Erfc(Vector256<float> z)
    {
        Vector256<float> hi = z * z;
        return Erfc(z, hi, Simd.SquareError(z, hi));
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
    public static Vector256<float> Erfc(Vector256<float> z, Vector256<float> squareHigh, Vector256<float> squareLow)
    {
        Vector256<float> s = Simd.MultiplyAdd(Vector256.Create(S6), squareHigh, Vector256.Create(S5));
        s = Simd.MultiplyAdd(s, squareHigh, Vector256.Create(S4));
        s = Simd.MultiplyAdd(s, squareHigh, Vector256.Create(S3));
        s = Simd.MultiplyAdd(s, squareHigh, Vector256.Create(S2));
        s = Simd.MultiplyAdd(s, squareHigh, Vector256.Create(S1));
        s = Simd.MultiplyAdd(s, squareHigh, Vector256.Create(S0));
        Vector256<float> series = Vector256<float>.One - z * s;

        Vector256<float> one = Vector256<float>.One;
        Vector256<float> t = one / (one + Vector256.Min(z, Vector256.Create(MaxErfcArgument)));
        Vector256<float> u = Simd.MultiplyAdd(Vector256.Create(UScale), t, Vector256.Create(UShift));
        Vector256<float> r = Simd.MultiplyAdd(Vector256.Create(R10), u, Vector256.Create(R9));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R8));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R7));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R6));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R5));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R4));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R3));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R2));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R1));
        r = Simd.MultiplyAdd(r, u, Vector256.Create(R0));
        Vector256<float> tail = Exp(-squareHigh) * (one - squareLow) * (t * r);
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256.Create(ErfcSeriesLimit)), series, tail);
    }
}
