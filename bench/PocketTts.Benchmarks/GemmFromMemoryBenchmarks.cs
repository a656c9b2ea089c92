using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// Many rows through a linear layer whose weights come from memory, as in the model (its 440 MB of weights fit no
/// cache): each call takes the next of several copies of the matrix, 96 MB or more in all, so no copy is still
/// cached when its turn comes again. <see cref="GemmBenchmarks"/> reuses one matrix, which stays in the L3 cache
/// and hides what <see cref="Gemm"/>'s prefetch of the next panel is for.
/// </summary>
public class GemmFromMemoryBenchmarks
{
    private const long Bytes = 96L * 1024 * 1024;

    private PackedLinear[] _copies = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;
    private int _next;

    /// <summary>Rows × input × output features: the text prompt's layers, the Mimi decoder's feed-forward.</summary>
    [Params("40x1024x1024", "40x1024x4096", "40x4096x1024", "16x512x2048")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Inputs.Sizes(Shape);
        (int rows, int inFeatures, int outFeatures) = (sizes[0], sizes[1], sizes[2]);
        int copies = (int)Math.Max(2, Bytes / (4L * inFeatures * outFeatures));
        _copies = new PackedLinear[copies];
        for (int i = 0; i < copies; i++)
            _copies[i] = PackedLinear.Create(new LinearWeights { InFeatures = inFeatures, OutFeatures = outFeatures, Weight = Inputs.Uniform(inFeatures * outFeatures, i + 1) });
        _x = Inputs.Uniform(rows * inFeatures, 0);
        _y = new float[rows * outFeatures];
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Float32()
    {
        Gemm.Run(_x, _x.Length / _copies[0].InFeatures, _copies[_next], _y, _pool);
        _next = (_next + 1) % _copies.Length;
    }
}
