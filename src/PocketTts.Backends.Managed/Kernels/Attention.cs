using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PocketTts.Backends.Managed.Kernels;

/// <summary>
/// Causal multi-head attention through a <see cref="ManagedKvCache"/>, StreamingMultiheadAttention of
/// pocket_tts/modules/transformer.py: the new keys and values are stored first, then query row t (absolute
/// position p = position + t) attends to positions j with 0 ≤ p − j (and p − j &lt; window for a ring cache).
/// Work items are heads.
/// </summary>
/// <remarks>
/// Only the visible keys are touched, so a prompt pass costs O(T · visible) rather than O(T · capacity). Scores
/// are scaled by 1/√headDim, the softmax subtracts the row maximum in float32, and the output is
/// (Σ_j e_j·v_j) / Σ_j e_j with the keys in increasing position: a fixed order.
/// </remarks>
internal static class Attention
{
    /// <summary>Runs at the widest vector width accelerated here: 256, 128 bits, else scalar.</summary>
    public static void Run(float[] q, float[] k, float[] v, int rows, ManagedKvCache cache, int position, float[] y, WorkerPool pool)
    {
        if (Vector256.IsHardwareAccelerated)
            Run<Lanes256, Vector256<float>>(q, k, v, rows, cache, position, y, pool);
        else if (Vector128.IsHardwareAccelerated)
            Run<Lanes128, Vector128<float>>(q, k, v, rows, cache, position, y, pool);
        else
            Run<Lanes32, float>(q, k, v, rows, cache, position, y, pool);
    }

    /// <summary>Runs the products at the width of <typeparamref name="TLanes"/> (tests compare the widths).</summary>
    public static void Run<TLanes, TVector>(float[] q, float[] k, float[] v, int rows, ManagedKvCache cache, int position, float[] y, WorkerPool pool)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        Store(k, v, rows, cache, position);
        var job = new Job<TLanes, TVector>(q, rows, cache, position, y);
        long visible = Math.Min(position + rows, cache.MaxVisible);
        pool.For(cache.Heads, ref job, 2L * rows * visible * cache.Heads * cache.HeadDim);
    }

    /// <summary>Copies rows of k and v [T, heads·headDim] into the cache slots of positions position … position + T − 1.</summary>
    private static void Store(float[] k, float[] v, int rows, ManagedKvCache cache, int position)
    {
        int d = cache.HeadDim, heads = cache.Heads;
        for (int t = 0; t < rows; t++)
        {
            int slot = (position + t) % cache.Capacity;
            for (int h = 0; h < heads; h++)
            {
                int from = (t * heads + h) * d, to = (h * cache.Capacity + slot) * d;
                k.AsSpan(from, d).CopyTo(cache.Keys.AsSpan(to, d));
                v.AsSpan(from, d).CopyTo(cache.Values.AsSpan(to, d));
            }
        }
    }

    private readonly struct Job<TLanes, TVector>(float[] q, int rows, ManagedKvCache cache, int position, float[] y) : IParallelJob
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int begin, int end)
        {
            int d = cache.HeadDim, heads = cache.Heads, capacity = cache.Capacity;
            float scale = 1f / MathF.Sqrt(d);
            for (int h = begin; h < end; h++)
            {
                ReadOnlySpan<float> keys = cache.Keys.AsSpan(h * capacity * d, capacity * d);
                ReadOnlySpan<float> values = cache.Values.AsSpan(h * capacity * d, capacity * d);
                Span<float> scores = cache.Scores.AsSpan(h * cache.MaxVisible, cache.MaxVisible);
                for (int t = 0; t < rows; t++)
                {
                    int p = position + t;
                    int first = cache.Window is int window ? Math.Max(0, p - window + 1) : 0;
                    int count = p - first + 1;
                    // The visible positions occupy at most two runs of slots: up to the end of the ring, then from 0.
                    int slot = first % capacity;
                    int run = Math.Min(count, capacity - slot);
                    ReadOnlySpan<float> query = q.AsSpan((t * heads + h) * d, d);
                    Span<float> output = y.AsSpan((t * heads + h) * d, d);
                    Scores<TLanes, TVector>(query, keys.Slice(slot * d, run * d), scale, scores[..run]);
                    Scores<TLanes, TVector>(query, keys[..((count - run) * d)], scale, scores[run..count]);
                    float sum = Softmax(scores[..count]);
                    output.Clear();
                    Accumulate<TLanes, TVector>(scores[..run], values.Slice(slot * d, run * d), output);
                    Accumulate<TLanes, TVector>(scores[run..count], values[..((count - run) * d)], output);
                    Elementwise.Map(new ScaleShiftOperator(1f / sum, 0f), output, output);
                }
            }
        }
    }

    /// <summary>
    /// scores[j] = (q · keys[j]) · scale, each dot product one vector chain, a lane sum and the tail (the sum splits
    /// over lanes, so widths agree to rounding, not bit for bit; one float wide it is the scalar chain).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scores<TLanes, TVector>(ReadOnlySpan<float> q, ReadOnlySpan<float> keys, float scale, Span<float> scores)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int d = q.Length, width = TLanes.Count;
        ref float qs = ref MemoryMarshal.GetReference(q);
        ref float ks = ref MemoryMarshal.GetReference(keys);
        int j = 0;
        // Four keys at a time, so four independent chains hide the multiply-add latency.
        for (; j + 4 <= scores.Length; j += 4)
        {
            ref float k0 = ref Unsafe.Add(ref ks, j * d);
            ref float k1 = ref Unsafe.Add(ref k0, d);
            ref float k2 = ref Unsafe.Add(ref k1, d);
            ref float k3 = ref Unsafe.Add(ref k2, d);
            TVector a0 = default, a1 = default, a2 = default, a3 = default;
            int i = 0;
            for (; i <= d - width; i += width)
            {
                TVector qv = TLanes.Load(ref qs, (nuint)i);
                a0 = TLanes.MultiplyAdd(qv, TLanes.Load(ref k0, (nuint)i), a0);
                a1 = TLanes.MultiplyAdd(qv, TLanes.Load(ref k1, (nuint)i), a1);
                a2 = TLanes.MultiplyAdd(qv, TLanes.Load(ref k2, (nuint)i), a2);
                a3 = TLanes.MultiplyAdd(qv, TLanes.Load(ref k3, (nuint)i), a3);
            }
            scores[j] = Finish(TLanes.Sum(a0), ref qs, ref k0, i, d) * scale;
            scores[j + 1] = Finish(TLanes.Sum(a1), ref qs, ref k1, i, d) * scale;
            scores[j + 2] = Finish(TLanes.Sum(a2), ref qs, ref k2, i, d) * scale;
            scores[j + 3] = Finish(TLanes.Sum(a3), ref qs, ref k3, i, d) * scale;
        }
        for (; j < scores.Length; j++)
        {
            ref float kj = ref Unsafe.Add(ref ks, j * d);
            TVector a = default;
            int i = 0;
            for (; i <= d - width; i += width)
                a = TLanes.MultiplyAdd(TLanes.Load(ref qs, (nuint)i), TLanes.Load(ref kj, (nuint)i), a);
            scores[j] = Finish(TLanes.Sum(a), ref qs, ref kj, i, d) * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(float sum, ref float q, ref float k, int start, int d)
    {
        for (int i = start; i < d; i++)
            sum = Simd.MultiplyAdd(Unsafe.Add(ref q, i), Unsafe.Add(ref k, i), sum);
        return sum;
    }

    /// <summary>scores ← exp(scores − max), returns their sum (in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Softmax(Span<float> scores)
    {
        float max = float.NegativeInfinity;
        foreach (float s in scores)
            max = MathF.Max(max, s);
        Elementwise.Map(new ExpOperator(max), scores, scores);
        float sum = 0f;
        foreach (float e in scores)
            sum += e;
        return sum;
    }

    /// <summary>
    /// output += Σ_j weights[j] · values[j], one multiply-add per key in increasing j; four keys share each load and
    /// store of the output, which does not change the order, so every width gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate<TLanes, TVector>(ReadOnlySpan<float> weights, ReadOnlySpan<float> values, Span<float> output)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int d = output.Length, width = TLanes.Count, j = 0;
        ref float vs = ref MemoryMarshal.GetReference(values);
        ref float os = ref MemoryMarshal.GetReference(output);
        for (; j + 4 <= weights.Length; j += 4)
        {
            ref float v0 = ref Unsafe.Add(ref vs, j * d);
            ref float v1 = ref Unsafe.Add(ref v0, d);
            ref float v2 = ref Unsafe.Add(ref v1, d);
            ref float v3 = ref Unsafe.Add(ref v2, d);
            float e0 = weights[j], e1 = weights[j + 1], e2 = weights[j + 2], e3 = weights[j + 3];
            TVector b0 = TLanes.Broadcast(e0), b1 = TLanes.Broadcast(e1), b2 = TLanes.Broadcast(e2), b3 = TLanes.Broadcast(e3);
            int i = 0;
            for (; i <= d - width; i += width)
            {
                TVector o = TLanes.Load(ref os, (nuint)i);
                o = TLanes.MultiplyAdd(b0, TLanes.Load(ref v0, (nuint)i), o);
                o = TLanes.MultiplyAdd(b1, TLanes.Load(ref v1, (nuint)i), o);
                o = TLanes.MultiplyAdd(b2, TLanes.Load(ref v2, (nuint)i), o);
                o = TLanes.MultiplyAdd(b3, TLanes.Load(ref v3, (nuint)i), o);
                TLanes.Store(o, ref os, (nuint)i);
            }
            for (; i < d; i++)
            {
                float o = Unsafe.Add(ref os, i);
                o = Simd.MultiplyAdd(e0, Unsafe.Add(ref v0, i), o);
                o = Simd.MultiplyAdd(e1, Unsafe.Add(ref v1, i), o);
                o = Simd.MultiplyAdd(e2, Unsafe.Add(ref v2, i), o);
                Unsafe.Add(ref os, i) = Simd.MultiplyAdd(e3, Unsafe.Add(ref v3, i), o);
            }
        }
        for (; j < weights.Length; j++)
        {
            ref float vj = ref Unsafe.Add(ref vs, j * d);
            float e = weights[j];
            TVector ev = TLanes.Broadcast(e);
            int i = 0;
            for (; i <= d - width; i += width)
                TLanes.Store(TLanes.MultiplyAdd(ev, TLanes.Load(ref vj, (nuint)i), TLanes.Load(ref os, (nuint)i)), ref os, (nuint)i);
            for (; i < d; i++)
                Unsafe.Add(ref os, i) = Simd.MultiplyAdd(e, Unsafe.Add(ref vj, i), Unsafe.Add(ref os, i));
        }
    }

    /// <summary>exp(x − max).</summary>
    private readonly struct ExpOperator(float max) : IUnaryOperator
    {
        public float Invoke(float x) => SpecialFunctions.Exp(x - max);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TLanes, TVector>(TVector x)
            where TLanes : struct, IVectorMath<TVector>
            where TVector : struct => SpecialFunctions.Exp<TLanes, TVector>(TLanes.Subtract(x, TLanes.Broadcast(max)));
    }
}
