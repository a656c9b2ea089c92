using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// The multiply-add every kernel uses, fused where the hardware fuses it, so that a vector lane and the
/// scalar tail round identically and an output does not depend on whether it fell in the body or the tail.
/// </summary>
internal static class Simd
{
    /// <summary>Whether <see cref="MultiplyAdd(float, float, float)"/> and the vector multiply-adds fuse.</summary>
    internal static bool IsFused => Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>
    /// What the kernels run in this process, from the same switches they test: <see cref="Vector256.IsHardwareAccelerated"/>
    /// for the 256-bit bodies, else <see cref="Vector128.IsHardwareAccelerated"/> for the 128-bit ones, <see cref="IsFused"/>
    /// for the multiply-add, and <see cref="Vector512.IsHardwareAccelerated"/> for the 512-bit tiles of <see cref="ConvBlock"/>.
    /// Runtime settings (<c>DOTNET_EnableAVX2=0</c>, ...) show here.
    /// </summary>
    public static CpuKernels Kernels { get; } = Describe();

    private static CpuKernels Describe()
    {
        string fused = Fma.IsSupported ? "FMA" : AdvSimd.IsSupported ? "NEON FMA" : "no FMA";
        string body;
        int bits;
        if (!Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated)
        {
            (body, bits) = ($"128-bit (no 256-bit vectors), {fused}", 128);
        }
        else if (!Vector256.IsHardwareAccelerated)
        {
            (body, bits) = ($"scalar (no 256-bit vectors), {fused}", 32);
        }
        else
        {
            string isa = string.Join('+', new[] { Avx2.IsSupported ? "AVX2" : null, Fma.IsSupported ? "FMA" : null }.OfType<string>());
            (body, bits) = (isa.Length == 0 ? "256-bit" : $"256-bit ({isa})", 256);
        }
        if (Vector512.IsHardwareAccelerated)
            return new CpuKernels(512, body + ", 512-bit convolution tiles (AVX-512F)");
        bool x86 = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
        return new CpuKernels(bits, x86 ? body + ", AVX-512 not used" : body);
    }

    /// <summary>a·b + c, with one rounding on FMA hardware.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => IsFused ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>a·b + c per lane, rounding as the scalar <see cref="MultiplyAdd(float, float, float)"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <inheritdoc cref="MultiplyAdd(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// a·b + c per lane, rounding as the scalar <see cref="MultiplyAdd(float, float, float)"/> does. The hardware
    /// instructions are named, not <see cref="Vector128.FusedMultiplyAdd(Vector128{float}, Vector128{float}, Vector128{float})"/>
    /// behind <see cref="IsFused"/>: without FMA (x86 with <c>DOTNET_EnableAVX2=0</c>) the JIT inlined that method's
    /// software fallback before it dropped the branch, and the extra locals left every accumulator of a 12-chain
    /// tile on the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;

    /// <summary>
    /// The rounding error of a·a: a² = <paramref name="square"/> + result exactly, where square = a·a rounded.
    /// One fused multiply-add on FMA hardware, Dekker's splitting of a into two 12-bit halves elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquareError(float a, float square)
    {
        if (IsFused)
            return MathF.FusedMultiplyAdd(a, a, -square);
        float c = 4097f * a, high = c - (c - a), low = a - high;
        return (high * high - square + 2f * high * low) + low * low;
    }

    /// <inheritdoc cref="SquareError(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector SquareError<TLanes, TVector>(TVector a, TVector square)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        // The lanes' multiply-add is fused exactly where the scalar one is (FMA on x86, NEON on ARM64).
        if (IsFused)
            return TLanes.MultiplyAdd(a, a, TLanes.Negate(square));
        TVector c = TLanes.Multiply(TLanes.Broadcast(4097f), a), high = TLanes.Subtract(c, TLanes.Subtract(c, a)), low = TLanes.Subtract(a, high);
        TVector highSquare = TLanes.Subtract(TLanes.Multiply(high, high), square);
        TVector cross = TLanes.Multiply(TLanes.Multiply(TLanes.Broadcast(2f), high), low);
        return TLanes.Add(TLanes.Add(highSquare, cross), TLanes.Multiply(low, low));
    }

    /// <summary>The sum of the lanes in a fixed order: halves, then pairs, then the last two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> v) => Sum(v.GetLower() + v.GetUpper());

    /// <summary>The sum of the lanes in a fixed order: pairs, then the last two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> s)
    {
        s += Vector128.Shuffle(s, Vector128.Create(2, 3, 0, 1));
        s += Vector128.Shuffle(s, Vector128.Create(1, 0, 3, 2));
        return s.ToScalar();
    }
}
