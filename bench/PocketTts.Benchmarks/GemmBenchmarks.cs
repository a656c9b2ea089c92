using System.Globalization;
using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// Sixteen rows through a linear layer: the Mimi decoder transformer in one 80 ms frame (d 512, feed-forward
/// 2048, 16 steps at 200 Hz). Unlike a FlowLM step this is bound by arithmetic and by the caches, not by memory:
/// 16.8M multiply-adds for 512→2048 and 2048→512, 4.2M for 512→512.
/// </summary>
public class GemmBenchmarks
{
    private const int Rows = 16;
    private PackedLinear _w = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;

    /// <summary>Input × output features.</summary>
    [Params("512x512", "512x2048", "2048x512")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        int inFeatures = int.Parse(parts[0], CultureInfo.InvariantCulture);
        int outFeatures = int.Parse(parts[1], CultureInfo.InvariantCulture);
        _w = PackedLinear.Create(new LinearWeights { InFeatures = inFeatures, OutFeatures = outFeatures, Weight = Inputs.Uniform(inFeatures * outFeatures, 1) });
        _x = Inputs.Uniform(Rows * inFeatures, 2);
        _y = new float[Rows * outFeatures];
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Float32() => Gemm.Run(_x, Rows, _w, _y, _pool);
}
