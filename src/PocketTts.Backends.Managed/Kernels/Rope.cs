using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// Rotary position embedding, apply_rope of pocket_tts/modules/rope.py: the interleaved pairs (2i, 2i+1) of
/// each head of row t are rotated by (position + t)·freq[i], freq[i] = exp(i · (−ln(maxPeriod)·2/headDim)).
/// </summary>
/// <remarks>
/// The frequencies and the angle are computed in float32 exactly as the reference does (float32 arange times a
/// float32 frequency): at positions in the thousands the angle's rounding is 1e-4 radians, so computing it
/// more precisely would move away from the reference, not towards it.
/// </remarks>
internal static class Rope
{
    /// <summary>Head sizes up to this keep their rotation table on the stack.</summary>
    private const int MaxStackHeadDim = 256;

    /// <summary>x, y [T, heads·headDim]; may be the same span.</summary>
    public static void Apply(ReadOnlySpan<float> x, int heads, int headDim, int position, float maxPeriod, Span<float> y)
    {
        Debug.Assert(x.Length == y.Length && headDim % 2 == 0 && x.Length % (heads * headDim) == 0);
        int rowLength = heads * headDim, rows = x.Length / Math.Max(1, rowLength);
        float step = (float)(-Math.Log(maxPeriod) * 2 / headDim);
        // Per row, a rotation in the lane order of the data: cos duplicated per pair and sin signed (−s, +s), so
        // y = x·cos + swap(x)·sin gives (r·c − i·s, i·c + r·s) for every pair.
        float[]? rented = headDim > MaxStackHeadDim ? ArrayPool<float>.Shared.Rent(2 * headDim) : null;
        Span<float> table = rented is null ? stackalloc float[2 * MaxStackHeadDim] : rented;
        Span<float> cos = table[..headDim], sin = table.Slice(headDim, headDim);
        for (int t = 0; t < rows; t++)
        {
            float time = position + t;
            for (int i = 0; i < headDim / 2; i++)
            {
                float angle = time * MathF.Exp(i * step);
                float c = MathF.Cos(angle), s = MathF.Sin(angle);
                cos[2 * i] = c;
                cos[2 * i + 1] = c;
                sin[2 * i] = -s;
                sin[2 * i + 1] = s;
            }
            for (int h = 0; h < heads; h++)
            {
                int start = t * rowLength + h * headDim;
                Rotate(x.Slice(start, headDim), cos, sin, y.Slice(start, headDim));
            }
        }
        if (rented is not null)
            ArrayPool<float>.Shared.Return(rented);
    }

    private static void Rotate(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> y)
    {
        if (Vector256.IsHardwareAccelerated)
            Rotate<Lanes256, Vector256<float>>(x, cos, sin, y);
        else if (Vector128.IsHardwareAccelerated)
            Rotate<Lanes128, Vector128<float>>(x, cos, sin, y);
        else
            RotateTail(x, cos, sin, y, 0);
    }

    /// <summary>y = x·cos + swap(x)·sin over one head, with vectors of <typeparamref name="TLanes"/>, then the scalar tail.</summary>
    internal static void Rotate<TLanes, TVector>(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> y)
        where TLanes : struct, IVectorMath<TVector>
        where TVector : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float cs = ref MemoryMarshal.GetReference(cos);
        ref float ss = ref MemoryMarshal.GetReference(sin);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length, width = TLanes.Count;
        for (; i <= n - width; i += width)
        {
            TVector v = TLanes.Load(ref xs, (nuint)i);
            TVector rotated = TLanes.Add(TLanes.Multiply(v, TLanes.Load(ref cs, (nuint)i)), TLanes.Multiply(TLanes.SwapPairs(v), TLanes.Load(ref ss, (nuint)i)));
            TLanes.Store(rotated, ref ys, (nuint)i);
        }
        RotateTail(x, cos, sin, y, i);
    }

    private static void RotateTail(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> y, int start)
    {
        for (int i = start; i < x.Length; i += 2)
        {
            float re = x[i], im = x[i + 1];
            y[i] = re * cos[i] + im * sin[i];
            y[i + 1] = im * cos[i + 1] + re * sin[i + 1];
        }
    }
}
