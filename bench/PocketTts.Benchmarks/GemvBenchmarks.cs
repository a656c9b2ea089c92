using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// One row through a linear layer (a FlowLM step) at the full-size model's shapes: attention projections
/// 1024→1024, the feed-forward 1024→4096 and 4096→1024. A step is bound by reading the weights, so the figure to
/// compare with is bytes of W / time (4 MB, 16 MB and 16 MB in float32, a quarter of that in int8).
/// </summary>
/// <remarks>
/// In the model every layer's weights are read once per step, 341 MB in all, so they come from memory, not from
/// a cache. <see cref="Streamed"/> reproduces that: each call uses the next of enough copies of the layer
/// (256 MB of float32 weights in all) that none is still cached when its turn comes again. Without it the same
/// weights are read every call and stay in the last-level cache.
/// </remarks>
public class GemvBenchmarks
{
    private const long StreamedBytes = 256L << 20;
    private PackedLinear[] _float = [];
    private PackedLinear[] _int8 = [];
    private RowMajorLinear[] _before = [];
    private int _next;
    private float[] _x = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;

    /// <summary>Input × output features.</summary>
    [Params("1024x1024", "1024x4096", "4096x1024")]
    public string Shape { get; set; } = "";

    /// <summary>Weights read from memory (a fresh copy each call) rather than from the cache.</summary>
    [Params(false, true)]
    public bool Streamed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Inputs.Sizes(Shape);
        (int inFeatures, int outFeatures) = (sizes[0], sizes[1]);
        int copies = Streamed ? (int)(StreamedBytes / (4L * inFeatures * outFeatures)) : 1;
        _float = new PackedLinear[copies];
        _int8 = new PackedLinear[copies];
        _before = new RowMajorLinear[copies];
        var scales = new float[outFeatures];
        Array.Fill(scales, 1f / 127);
        for (int copy = 0; copy < copies; copy++)
        {
            float[] w = Inputs.Uniform(inFeatures * outFeatures, copy + 1);
            var q = new sbyte[w.Length];
            for (int i = 0; i < w.Length; i++)
                q[i] = (sbyte)MathF.Round(w[i] * 127);
            _float[copy] = PackedLinear.Create(new LinearWeights { InFeatures = inFeatures, OutFeatures = outFeatures, Weight = w });
            _before[copy] = new RowMajorLinear(inFeatures, outFeatures, w, null);
            _int8[copy] = PackedLinear.Create(new LinearWeights { InFeatures = inFeatures, OutFeatures = outFeatures, QuantizedWeight = q, Scales = scales });
        }
        _x = Inputs.Uniform(inFeatures, 0);
        _y = new float[outFeatures];
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark(Baseline = true)]
    public void Float32() => Gemm.Run(_x, 1, _float[Next()], _y, _pool);

    /// <summary>The dot-product kernel that <see cref="Float32"/>'s outer-product kernel replaced (issue #19).</summary>
    [Benchmark]
    public void Float32DotProductBefore() => DotProductGemm.Run(_x, 1, _before[Next()], _y, _pool);

    [Benchmark]
    public void Int8() => QuantizedGemm.Run(_x, 1, _int8[Next()], _y, _pool);

    private int Next() => _next = _next + 1 == _float.Length ? 0 : _next + 1;
}
