using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>ELU with alpha 1 (SEANet): x for x &gt; 0, exp(x) − 1 otherwise, as torch computes it (expm1).</summary>
internal readonly struct EluOperator : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : SpecialFunctions.ExpM1(x);

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, SpecialFunctions.ExpM1(Vector256.Min(x, Vector256<float>.Zero)));
}

/// <summary>
/// Exact GELU, 0.5·x·(1 + erf(x/√2)), written with erfc so that neither side cancels: x·(1 − ½·erfc(x/√2)) for
/// x ≥ 0 and ½·x·erfc(−x/√2) for x &lt; 0, which keeps the relative accuracy of the small negative tail.
/// </summary>
internal readonly struct GeluOperator : IUnaryOperator
{
    // erfc(|x|/√2) vanishes in float beyond |x| = 14.2; clamping keeps x² finite for huge or infinite x.
    private const float MaxArgument = 20f;
    private const float InverseSqrt2 = 0.70710677f;

    public float Invoke(float x)
    {
        float a = MathF.Min(MathF.Abs(x), MaxArgument);
        float hi = a * a;
        float lo = Simd.SquareError(a, hi);
        float half = 0.5f * SpecialFunctions.Erfc(a * InverseSqrt2, 0.5f * hi, 0.5f * lo);
        return x * (x >= 0f ? 1f - half : half);
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Min(Vector256.Abs(x), Vector256.Create(MaxArgument));
        Vector256<float> hi = a * a;
        Vector256<float> lo = Simd.SquareError(a, hi);
        Vector256<float> h = Vector256.Create(0.5f);
        Vector256<float> half = h * SpecialFunctions.Erfc(a * Vector256.Create(InverseSqrt2), h * hi, h * lo);
        return x * Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One - half, half);
    }
}

/// <summary>
/// Tanh-approximate GELU, 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), computed as x·sigmoid(2u) =
/// x / (1 + exp(−2u)): the same function, but 1 + tanh(u) no longer cancels in the negative tail.
/// </summary>
internal readonly struct GeluTanhOperator : IUnaryOperator
{
    // 2·√(2/π) and 2·√(2/π)·0.044715: the doubled u of sigmoid(2u).
    private const float TwoBeta = 1.59576912f;
    private const float TwoBetaKappa = 0.0713548163f;

    // Beyond this |x|, exp(−2u) is 0 or infinite in float anyway; clamping keeps x³ finite for huge x.
    private const float MaxArgument = 20f;

    public float Invoke(float x)
    {
        float a = Math.Clamp(x, -MaxArgument, MaxArgument);
        return x / (1f + SpecialFunctions.Exp(-a * (TwoBeta + TwoBetaKappa * a * a)));
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Min(Vector256.Max(x, Vector256.Create(-MaxArgument)), Vector256.Create(MaxArgument));
        Vector256<float> twoU = a * (Vector256.Create(TwoBeta) + Vector256.Create(TwoBetaKappa) * a * a);
        return x / (Vector256<float>.One + SpecialFunctions.Exp(-twoU));
    }
}

/// <summary>SiLU, x·sigmoid(x) = x / (1 + exp(−x)) (flow net).</summary>
internal readonly struct SiluOperator : IUnaryOperator
{
    public float Invoke(float x) => x / (1f + SpecialFunctions.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + SpecialFunctions.Exp(-x));
}
