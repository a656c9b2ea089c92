using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Benchmarks;

/// <summary>
/// One query row attending over a KV cache of 16 heads × 64 (FlowLM and the Mimi decoder transformer): 250
/// cached steps (Mimi's context) and 1000 (a long FlowLM generation).
/// </summary>
public class AttentionBenchmarks
{
    private const int Heads = 16;
    private const int HeadDim = 64;
    private ManagedKvCache _cache = null!;
    private float[] _q = null!;
    private float[] _k = null!;
    private float[] _v = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;

    [Params(250, 1000)]
    public int CachedSteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cache = new ManagedKvCache(Heads, HeadDim, CachedSteps + 1, window: null);
        Inputs.Uniform(_cache.Keys.Length, 1).CopyTo(_cache.Keys, 0);
        Inputs.Uniform(_cache.Values.Length, 2).CopyTo(_cache.Values, 0);
        _q = Inputs.Uniform(Heads * HeadDim, 3);
        _k = Inputs.Uniform(Heads * HeadDim, 4);
        _v = Inputs.Uniform(Heads * HeadDim, 5);
        _y = new float[Heads * HeadDim];
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    /// <summary>Stores the new key and value at the last slot and attends over all CachedSteps + 1 positions.</summary>
    [Benchmark]
    public void Step() => Attention.Run(_q, _k, _v, 1, _cache, CachedSteps, _y, _pool);
}
