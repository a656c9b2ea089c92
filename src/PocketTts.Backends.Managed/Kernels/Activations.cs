using System.Runtime.CompilerServices;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>ELU with alpha 1 (SEANet): x for x &gt; 0, exp(x) − 1 otherwise, as torch computes it (expm1).</summary>
internal readonly struct EluOperator : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : SpecialFunctions.ExpM1(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct =>
        // The positive lanes' expm1 (finite or +∞, never a trap) is computed and dropped.
        TLanes.Select(TLanes.GreaterThan(x, TLanes.Broadcast(0f)), x, SpecialFunctions.ExpM1<TLanes, TVector>(x));
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        TVector a = TLanes.Min(TLanes.Abs(x), TLanes.Broadcast(MaxArgument));
        TVector hi = TLanes.Multiply(a, a);
        TVector lo = Simd.SquareError<TLanes, TVector>(a, hi);
        TVector h = TLanes.Broadcast(0.5f);
        TVector erfc = SpecialFunctions.Erfc<TLanes, TVector>(TLanes.Multiply(a, TLanes.Broadcast(InverseSqrt2)), TLanes.Multiply(h, hi), TLanes.Multiply(h, lo));
        TVector half = TLanes.Multiply(h, erfc);
        TVector factor = TLanes.Select(TLanes.GreaterThanOrEqual(x, TLanes.Broadcast(0f)), TLanes.Subtract(TLanes.Broadcast(1f), half), half);
        return TLanes.Multiply(x, factor);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        // A NaN x may clamp to a bound: the division by x's own lane below still makes it NaN.
        TVector a = TLanes.Clamp(x, TLanes.Broadcast(-MaxArgument), TLanes.Broadcast(MaxArgument));
        TVector twoU = TLanes.Multiply(a, TLanes.Add(TLanes.Broadcast(TwoBeta), TLanes.Multiply(TLanes.Multiply(TLanes.Broadcast(TwoBetaKappa), a), a)));
        return TLanes.Divide(x, TLanes.Add(TLanes.Broadcast(1f), SpecialFunctions.Exp<TLanes, TVector>(TLanes.Negate(twoU))));
    }
}

/// <summary>SiLU, x·sigmoid(x) = x / (1 + exp(−x)) (flow net).</summary>
internal readonly struct SiluOperator : IUnaryOperator
{
    public float Invoke(float x) => x / (1f + SpecialFunctions.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct =>
        TLanes.Divide(x, TLanes.Add(TLanes.Broadcast(1f), SpecialFunctions.Exp<TLanes, TVector>(TLanes.Negate(x))));
}
