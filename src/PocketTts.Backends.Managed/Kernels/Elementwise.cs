using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// A function of one float, as a scalar and per lane at any vector width, the lanes rounding as the scalar does; a
/// struct so the driver is specialised and inlined.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);

    TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct;
}

/// <summary>A function of two floats, as a scalar and per lane at any vector width.</summary>
internal interface IBinaryOperator
{
    float Invoke(float a, float b);

    TVector Invoke<TLanes, TVector>(TVector a, TVector b)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct;
}

/// <summary>
/// The element-wise drivers: a vector body at the widest width accelerated here (256 bits, else 128: SSE, ARM64
/// NEON, WebAssembly SIMD) and a scalar tail around an operator struct; scalar throughout without vectors. Outputs
/// may be the same span as an input (each element is read before it is written) but must not partly overlap it.
/// </summary>
internal static class Elementwise
{
    /// <summary>Floats per work item when a pool shares a long map or zip: 64 KB of input, a multiple of any vector width.</summary>
    private const int Piece = 16 * 1024;

    /// <summary>
    /// Work a long map or zip counts per float when the pool decides whether to share it (an add costs one operation
    /// and a load-bound one, an activation's exponential tens), so that arrays of two pieces or more are shared: the
    /// SEANet's activations and residual adds (64 channels × 7680 samples over a 4-frame chunk of the voice prompt)
    /// would otherwise run on one core beside convolutions that run on all.
    /// </summary>
    private const int WorkPerFloat = 16;

    /// <summary>y[i] = op(x[i]) over the whole arrays, in pieces shared by the pool's threads when long.</summary>
    public static void Map<TOp>(TOp op, float[] x, float[] y, WorkerPool pool)
        where TOp : struct, IUnaryOperator
    {
        Debug.Assert(y.Length == x.Length);
        var job = new MapJob<TOp>(op, x, y);
        pool.For((x.Length + Piece - 1) / Piece, ref job, (long)x.Length * WorkPerFloat);
    }

    /// <summary>y[i] = op(a[i], b[i]) over the whole arrays of one length, in pieces shared by the pool's threads when long.</summary>
    public static void Zip<TOp>(TOp op, float[] a, float[] b, float[] y, WorkerPool pool)
        where TOp : struct, IBinaryOperator
    {
        if (b.Length != a.Length)
        {
            Zip(op, a, b, y);
            return;
        }
        Debug.Assert(y.Length == a.Length);
        var job = new ZipJob<TOp>(op, a, b, y);
        pool.For((a.Length + Piece - 1) / Piece, ref job, (long)a.Length * WorkPerFloat);
    }

    private readonly struct MapJob<TOp>(TOp op, float[] x, float[] y) : IParallelJob
        where TOp : struct, IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int start = begin * Piece, length = Math.Min(end * Piece, x.Length) - start;
            Map(op, x.AsSpan(start, length), y.AsSpan(start, length));
        }
    }

    private readonly struct ZipJob<TOp>(TOp op, float[] a, float[] b, float[] y) : IParallelJob
        where TOp : struct, IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int start = begin * Piece, length = Math.Min(end * Piece, a.Length) - start;
            ZipEqual(op, a.AsSpan(start, length), b.AsSpan(start, length), y.AsSpan(start, length));
        }
    }

    /// <summary>y[i] = op(x[i]).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOperator
    {
        if (Vector256.IsHardwareAccelerated)
            Map<TOp, Lanes256, Vector256<float>>(op, x, y);
        else if (Vector128.IsHardwareAccelerated)
            Map<TOp, Lanes128, Vector128<float>>(op, x, y);
        else
            MapTail(op, x, y, 0);
    }

    /// <summary>y[i] = op(x[i]) with vectors of <typeparamref name="TLanes"/>, then the scalar tail (tests compare the widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp, TLanes, TVector>(TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOperator
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        Debug.Assert(y.Length == x.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length, width = TLanes.Count;
        for (; i <= n - width; i += width)
            TLanes.Store(op.Invoke<TLanes, TVector>(TLanes.Load(ref xs, (nuint)i)), ref ys, (nuint)i);
        MapTail(op, x, y, i);
    }

    private static void MapTail<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, int start)
        where TOp : struct, IUnaryOperator
    {
        Debug.Assert(y.Length == x.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        for (int i = start; i < x.Length; i++)
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>y[i] = op(a[i], b[i mod b.Length]): b has a's length or repeats over it (a per-feature vector).</summary>
    public static void Zip<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
        where TOp : struct, IBinaryOperator
    {
        Debug.Assert(y.Length == a.Length && (b.Length == 0 ? a.Length == 0 : a.Length % b.Length == 0));
        for (int start = 0; start < a.Length; start += b.Length)
            ZipEqual(op, a.Slice(start, b.Length), b, y.Slice(start, b.Length));
    }

    private static void ZipEqual<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
        where TOp : struct, IBinaryOperator
    {
        if (Vector256.IsHardwareAccelerated)
            ZipEqual<TOp, Lanes256, Vector256<float>>(op, a, b, y);
        else if (Vector128.IsHardwareAccelerated)
            ZipEqual<TOp, Lanes128, Vector128<float>>(op, a, b, y);
        else
            ZipTail(op, a, b, y, 0);
    }

    /// <summary>y[i] = op(a[i], b[i]) over spans of one length with vectors of <typeparamref name="TLanes"/>, then the scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ZipEqual<TOp, TLanes, TVector>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
        where TOp : struct, IBinaryOperator
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        Debug.Assert(b.Length == a.Length && y.Length == a.Length);
        ref float az = ref MemoryMarshal.GetReference(a);
        ref float bz = ref MemoryMarshal.GetReference(b);
        ref float yz = ref MemoryMarshal.GetReference(y);
        int i = 0, n = a.Length, width = TLanes.Count;
        for (; i <= n - width; i += width)
            TLanes.Store(op.Invoke<TLanes, TVector>(TLanes.Load(ref az, (nuint)i), TLanes.Load(ref bz, (nuint)i)), ref yz, (nuint)i);
        ZipTail(op, a, b, y, i);
    }

    private static void ZipTail<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int start)
        where TOp : struct, IBinaryOperator
    {
        ref float az = ref MemoryMarshal.GetReference(a);
        ref float bz = ref MemoryMarshal.GetReference(b);
        ref float yz = ref MemoryMarshal.GetReference(y);
        for (int i = start; i < a.Length; i++)
            Unsafe.Add(ref yz, i) = op.Invoke(Unsafe.Add(ref az, i), Unsafe.Add(ref bz, i));
    }
}

/// <summary>a + b.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector a, TVector b)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct => TLanes.Add(a, b);
}

/// <summary>a · b.</summary>
internal readonly struct MultiplyOperator : IBinaryOperator
{
    public float Invoke(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector a, TVector b)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct => TLanes.Multiply(a, b);
}

/// <summary>x where x is a number, fill where it is NaN (the reference's BOS marker).</summary>
internal readonly struct ReplaceNaNOperator : IBinaryOperator
{
    public float Invoke(float a, float b) => float.IsNaN(a) ? b : a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector a, TVector b)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct => TLanes.Select(TLanes.IsNaN(a), b, a);
}

/// <summary>x · scale + shift.</summary>
internal readonly struct ScaleShiftOperator(float scale, float shift) : IUnaryOperator
{
    public float Invoke(float x) => Simd.MultiplyAdd(x, scale, shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct => TLanes.MultiplyAdd(x, TLanes.Broadcast(scale), TLanes.Broadcast(shift));
}
