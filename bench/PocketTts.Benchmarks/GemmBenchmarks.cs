using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// Many rows through a linear layer: 16 rows are the Mimi decoder transformer in one 80 ms frame (d 512,
/// feed-forward 2048, 16 steps at 200 Hz); 40 rows at d 1024 are the 40-token text prompt of the FlowLM. Unlike a
/// FlowLM step this is bound by arithmetic and by the caches, not by memory: 16.8M multiply-adds for 16 × 512→2048,
/// 168M for 40 × 1024→4096. <see cref="Float32"/> is the outer-product kernel, <see cref="DotProductBefore"/> the
/// dot-product kernel it replaced (issue #19), measured in the same run.
/// </summary>
public class GemmBenchmarks
{
    private PackedLinear _w = null!;
    private RowMajorLinear _before = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;

    /// <summary>Input × output features.</summary>
    [Params("512x512", "512x2048", "2048x512", "1024x4096", "4096x1024")]
    public string Shape { get; set; } = "";

    /// <summary>Rows of x.</summary>
    [Params(16, 40)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Inputs.Sizes(Shape);
        (int inFeatures, int outFeatures) = (sizes[0], sizes[1]);
        float[] w = Inputs.Uniform(inFeatures * outFeatures, 1);
        _w = PackedLinear.Create(new LinearWeights { InFeatures = inFeatures, OutFeatures = outFeatures, Weight = w });
        _before = new RowMajorLinear(inFeatures, outFeatures, w, null);
        _x = Inputs.Uniform(Rows * inFeatures, 2);
        _y = new float[Rows * outFeatures];
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Float32() => Gemm.Run(_x, Rows, _w, _y, _pool);

    [Benchmark(Baseline = true)]
    public void DotProductBefore() => DotProductGemm.Run(_x, Rows, _before, _y, _pool);
}
