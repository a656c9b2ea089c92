using System.Runtime.Intrinsics;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class AttentionTests
{
    [Theory]
    [InlineData(1, 8, 9)]
    [InlineData(2, 64, 20)]
    [InlineData(3, 13, 25)]
    [InlineData(16, 64, 40)]
    public void Linear_cache_prompt_then_steps_match_float64(int heads, int headDim, int total)
    {
        using var backend = Create();
        int width = heads * headDim, prompt = total / 2;
        float[] q = Random(1, total * width), k = Random(2, total * width), v = Random(3, total * width);
        double[] expected = DoubleReference.Attention(q, total, k, v, heads, headDim, 0, null);
        IKvCache cache = backend.CreateKvCache(heads, headDim, total + 3, null);

        float[] y = Run(backend, cache, q, k, v, 0, prompt, width);
        for (int p = prompt; p < total; p++)
            y = [.. y, .. Run(backend, cache, q, k, v, p, 1, width)];
        ShouldBeClose(y, expected, Array.ConvertAll(expected, _ => 1.0), 1e-6);
    }

    [Theory]
    [InlineData(1, 8, 5, 9, 40, 1)]
    [InlineData(2, 16, 7, 10, 60, 4)]
    [InlineData(3, 24, 25, 40, 120, 16)]
    public void Ring_cache_sees_only_the_window(int heads, int headDim, int window, int capacity, int total, int chunk)
    {
        using var backend = Create();
        int width = heads * headDim;
        float[] q = Random(4, total * width), k = Random(5, total * width), v = Random(6, total * width);
        double[] expected = DoubleReference.Attention(q, total, k, v, heads, headDim, 0, window);
        IKvCache cache = backend.CreateKvCache(heads, headDim, capacity, window);
        float[] y = [];
        for (int p = 0; p < total; p += chunk)
            y = [.. y, .. Run(backend, cache, q, k, v, p, Math.Min(chunk, total - p), width)];
        ShouldBeClose(y, expected, Array.ConvertAll(expected, _ => 1.0), 1e-6);
    }

    [Theory]
    [InlineData(2, 13, 11)]    // head size 13: vector bodies and a tail; 11 keys: groups of four and single keys
    [InlineData(1, 3, 6)]      // a head shorter than a 128-bit vector
    [InlineData(3, 64, 21)]
    public void The_128_bit_and_scalar_bodies_match_float64_like_the_256_bit_one(int heads, int headDim, int total)
    {
        int width = heads * headDim;
        float[] q = Random(12, total * width), k = Random(13, total * width), v = Random(14, total * width);
        double[] expected = DoubleReference.Attention(q, total, k, v, heads, headDim, 0, null);
        using var pool = new WorkerPool(1);
        float[] Run<TLanes, TVector>()
            where TLanes : struct, ILanes<TVector>
            where TVector : struct
        {
            var y = new float[total * width];
            Attention.Run<TLanes, TVector>(q, k, v, total, new ManagedKvCache(heads, headDim, total, null), 0, y, pool);
            return y;
        }
        float[] scalar = Run<Lanes32, float>();
        ShouldBeClose(scalar, expected, Array.ConvertAll(expected, _ => 1.0), 1e-6, "scalar");
        // The dot products sum over lanes, so the widths agree to rounding only.
        ShouldBeClose(Run<Lanes128, Vector128<float>>(), expected, Array.ConvertAll(expected, _ => 1.0), 1e-6, "128-bit");
        if (Vector256.IsHardwareAccelerated)
            ShouldBeClose(Run<Lanes256, Vector256<float>>(), expected, Array.ConvertAll(expected, _ => 1.0), 1e-6, "256-bit");
    }

    [Fact]
    public void Ring_cache_equals_a_linear_cache_holding_only_the_window_bit_for_bit()
    {
        using var backend = Create();
        const int heads = 2, headDim = 20, window = 11, capacity = 14, total = 50;
        int width = heads * headDim;
        float[] q = Random(7, total * width), k = Random(8, total * width), v = Random(9, total * width);
        IKvCache ring = backend.CreateKvCache(heads, headDim, capacity, window);
        for (int p = 0; p < total; p++)
        {
            float[] y = Run(backend, ring, q, k, v, p, 1, width);
            if (p < window - 1)
                continue;
            // The same query over keys p − window + 1 … p written at positions 0 … window − 1 of a fresh linear cache.
            IKvCache linear = backend.CreateKvCache(heads, headDim, window, null);
            int first = p - window + 1;
            float[] keys = k[(first * width)..((p + 1) * width)], values = v[(first * width)..((p + 1) * width)];
            backend.WriteKvCache(linear, window - 1, keys.AsSpan(0, (window - 1) * width), values.AsSpan(0, (window - 1) * width));
            float[] yLinear = Run(backend, linear, [.. new float[(window - 1) * width], .. q[(p * width)..((p + 1) * width)]],
                keys, values, window - 1, 1, width);
            ShouldBeBitIdentical(y, yLinear, $"position {p}");
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        const int heads = 8, headDim = 64, rows = 120;
        int width = heads * headDim;
        float[] q = Random(10, rows * width), k = Random(11, rows * width), v = Random(12, rows * width);
        float[] Compute(int threads)
        {
            using var backend = Create(threads);
            return Run(backend, backend.CreateKvCache(heads, headDim, rows, null), q, k, v, 0, rows, width);
        }
        ShouldBeBitIdentical(Compute(2), Compute(1));
    }

    [Fact]
    public void Kv_cache_reads_back_what_was_written_and_what_attention_stored()
    {
        using var backend = Create();
        const int heads = 3, headDim = 4, length = 5;
        float[] keys = Random(13, length * heads * headDim), values = Random(14, length * heads * headDim);
        IKvCache cache = backend.CreateKvCache(heads, headDim, 8, null);
        backend.WriteKvCache(cache, length, keys, values);
        float[] k = new float[keys.Length], v = new float[values.Length];
        backend.ReadKvCache(cache, length, k, v);
        k.ShouldBe(keys);
        v.ShouldBe(values);

        float[] row = Random(15, heads * headDim), rowV = Random(16, heads * headDim);
        ITensor r = backend.Tensor(row, 1, heads * headDim);
        backend.Attention(r, r, backend.Tensor(rowV, 1, heads * headDim), cache, length, backend.Allocate(r.Shape));
        float[] k6 = new float[keys.Length + row.Length], v6 = new float[k6.Length];
        backend.ReadKvCache(cache, length + 1, k6, v6);
        k6.ShouldBe([.. keys, .. row]);
        v6.ShouldBe([.. values, .. rowV]);
    }

    [Fact]
    public void Attention_checks_capacity_and_shapes()
    {
        using var backend = Create();
        IKvCache cache = backend.CreateKvCache(2, 4, 6, null);
        ITensor q = backend.Allocate(new TensorShape(3, 8));
        Should.Throw<ArgumentException>(() => backend.Attention(q, q, q, cache, 4, backend.Allocate(q.Shape)))
            .Message.ShouldContain("positions 4…6 exceed the cache capacity 6");
        Should.Throw<ArgumentException>(() => backend.Attention(q, q, q, cache, 0, q))
            .Message.ShouldContain("y and q must be different tensors");
        Should.Throw<ArgumentException>(() => backend.Attention(q, backend.Allocate(new TensorShape(2, 8)), q, cache, 0, backend.Allocate(q.Shape)))
            .Message.ShouldStartWith("Attention: k has shape [2, 8], expected [3, 8] (the shape of q).");
        Should.Throw<ArgumentException>(() => backend.Attention(backend.Allocate(new TensorShape(3, 9)), q, q, cache, 0, backend.Allocate(q.Shape)))
            .Message.ShouldStartWith("Attention: q has shape [3, 9], expected [T, heads·headDim=8].");
        IKvCache ring = backend.CreateKvCache(2, 4, 6, 4);
        ITensor q4 = backend.Allocate(new TensorShape(4, 8));
        Should.Throw<ArgumentException>(() => backend.Attention(q4, q4, q4, ring, 0, backend.Allocate(q4.Shape)))
            .Message.ShouldContain("4 rows do not fit a ring cache of capacity 6 with window 4");
        Should.Throw<ArgumentException>(() => backend.ReadKvCache(ring, 1, new float[8], new float[8]))
            .Message.ShouldContain("only linear caches");
        Should.Throw<ArgumentException>(() => backend.WriteKvCache(cache, 2, new float[16], new float[15]))
            .Message.ShouldContain("values has 15 values, expected 16");
    }

    [Fact]
    public void Unwritten_positions_read_as_NaN()
    {
        using var backend = Create();
        IKvCache cache = backend.CreateKvCache(1, 2, 4, null);
        ITensor q = backend.Tensor([1f, 0f], 1, 2), y = backend.Allocate(q.Shape);
        backend.Attention(q, q, q, cache, 2, y);
        backend.Values(y).ShouldAllBe(v => float.IsNaN(v));
        ((ManagedKvCache)cache).Capacity.ShouldBe(4);
    }

    private static float[] Run(ManagedTensorBackend backend, IKvCache cache, float[] q, float[] k, float[] v, int position, int rows, int width)
    {
        int from = position * width, to = from + rows * width;
        ITensor qt = backend.Tensor(q[from..to], rows, width), kt = backend.Tensor(k[from..to], rows, width);
        ITensor vt = backend.Tensor(v[from..to], rows, width), y = backend.Allocate(qt.Shape);
        backend.Attention(qt, kt, vt, cache, position, y);
        return backend.Values(y);
    }
}
