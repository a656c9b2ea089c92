using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// The lane-wise arithmetic the element-wise kernels and <see cref="SpecialFunctions"/> need beyond
/// <see cref="ILanes{TVector}"/>, so that each is written once for the 256-bit (AVX2) and 128-bit (SSE, ARM64 NEON,
/// WebAssembly SIMD) bodies. Every operation rounds as its scalar counterpart does, so a lane equals the scalar tail.
/// </summary>
/// <typeparam name="TVector"><see cref="Vector256{T}"/> or <see cref="Vector128{T}"/> of float.</typeparam>
internal interface IVectorMath<TVector> : ILanes<TVector>
    where TVector : struct
{
    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    static abstract TVector Negate(TVector a);

    static abstract TVector Min(TVector a, TVector b);

    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Abs(TVector a);

    /// <summary>
    /// a limited to [low, high] for bounds that are numbers, with the plain min and max instructions: a NaN lane
    /// comes out as a bound or NaN depending on the hardware, so callers mask NaN lanes or carry a NaN on by other
    /// means (Min and Max cost a dozen extra instructions each for their NaN and signed-zero rules).
    /// </summary>
    static abstract TVector Clamp(TVector a, TVector low, TVector high);

    /// <summary>To the nearest integer, ties to even (<see cref="MathF.Round(float)"/>).</summary>
    static abstract TVector Round(TVector a);

    /// <summary>
    /// p·2ⁿ for lanes n holding an integer in [−252, 254], as p·2^⌊n/2⌋·2^(n − ⌊n/2⌋) with both factors built in the
    /// exponent bits, so that n = 128 does not overflow them (<see cref="SpecialFunctions.Exp(float)"/>'s scaling).
    /// </summary>
    static abstract TVector ScaleByPowerOfTwo(TVector p, TVector n);

    /// <summary>All bits set in the lanes where a &gt; b.</summary>
    static abstract TVector GreaterThan(TVector a, TVector b);

    /// <summary>All bits set in the lanes where a ≥ b.</summary>
    static abstract TVector GreaterThanOrEqual(TVector a, TVector b);

    /// <summary>All bits set in the lanes where a &lt; b.</summary>
    static abstract TVector LessThan(TVector a, TVector b);

    /// <summary>All bits set in the lanes that hold NaN.</summary>
    static abstract TVector IsNaN(TVector a);

    /// <summary>a where the mask is set, b elsewhere.</summary>
    static abstract TVector Select(TVector mask, TVector a, TVector b);

    /// <summary>Each pair of lanes (2i, 2i + 1) swapped.</summary>
    static abstract TVector SwapPairs(TVector a);
}

/// <summary>The 256-bit lane-wise arithmetic.</summary>
internal readonly partial struct Lanes256 : IVectorMath<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Negate(Vector256<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> a, Vector256<float> low, Vector256<float> high) =>
        Vector256.MinNative(Vector256.MaxNative(a, low), high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> a) => Vector256.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> p, Vector256<float> n)
    {
        Vector256<int> ni = Vector256.ConvertToInt32(n);
        Vector256<int> half = Vector256.ShiftRightArithmetic(ni, 1), bias = Vector256.Create(127);
        return p * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> IsNaN(Vector256<float> a) => Vector256.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SwapPairs(Vector256<float> a) => Vector256.Shuffle(a, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6));
}

/// <summary>The 128-bit lane-wise arithmetic.</summary>
internal readonly partial struct Lanes128 : IVectorMath<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Negate(Vector128<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clamp(Vector128<float> a, Vector128<float> low, Vector128<float> high) =>
        Vector128.MinNative(Vector128.MaxNative(a, low), high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Round(Vector128<float> a) => Vector128.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> p, Vector128<float> n)
    {
        Vector128<int> ni = Vector128.ConvertToInt32(n);
        Vector128<int> half = Vector128.ShiftRightArithmetic(ni, 1), bias = Vector128.Create(127);
        return p * Vector128.ShiftLeft(half + bias, 23).AsSingle() * Vector128.ShiftLeft(ni - half + bias, 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GreaterThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> IsNaN(Vector128<float> a) => Vector128.IsNaN(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SwapPairs(Vector128<float> a) => Vector128.Shuffle(a, Vector128.Create(1, 0, 3, 2));
}
