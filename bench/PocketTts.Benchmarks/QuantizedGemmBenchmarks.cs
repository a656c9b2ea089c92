using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// The int8 linear layer at the FlowLM's shapes (in_proj 1024→3072, out_proj 1024→1024, linear1 1024→4096,
/// linear2 4096→1024): one row is a step, bound by reading the weights from memory (bytes of W / time, 1 to 4 MB a
/// layer); 40 rows are the text prompt, bound by the multiplies. <see cref="Panels"/> is the kernel on panels of 8
/// outputs, <see cref="RowMajorBefore"/> the row-major one it replaced (issue #19), measured in the same run.
/// </summary>
/// <remarks>
/// As in <see cref="GemvBenchmarks"/>, each call takes the next of enough copies of the layer (128 MB in all, eight times the last-level cache of a 2-core Zen 3 VM) that
/// none is still cached when its turn comes again, as in a step, which reads every layer once.
/// </remarks>
public class QuantizedGemmBenchmarks
{
    private const long StreamedBytes = 128L << 20;
    private PackedLinear[] _panels = [];
    private RowMajorInt8Linear[] _rowMajor = [];
    private int _next;
    private float[] _x = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;

    /// <summary>Input × output features.</summary>
    [Params("1024x3072", "1024x1024", "1024x4096", "4096x1024")]
    public string Shape { get; set; } = "";

    /// <summary>Rows of x: 1 for a step, 40 for a text prompt.</summary>
    [Params(1, 40)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Inputs.Sizes(Shape);
        (int inFeatures, int outFeatures) = (sizes[0], sizes[1]);
        int copies = (int)(StreamedBytes / ((long)inFeatures * outFeatures));
        _panels = new PackedLinear[copies];
        _rowMajor = new RowMajorInt8Linear[copies];
        var scales = new float[outFeatures];
        Array.Fill(scales, 1f / 127);
        for (int copy = 0; copy < copies; copy++)
        {
            float[] w = Inputs.Uniform(inFeatures * outFeatures, copy + 1);
            var q = new sbyte[w.Length];
            for (int i = 0; i < w.Length; i++)
                q[i] = (sbyte)MathF.Round(w[i] * 127);
            _panels[copy] = PackedLinear.Create(new LinearWeights { InFeatures = inFeatures, OutFeatures = outFeatures, QuantizedWeight = q, Scales = scales });
            _rowMajor[copy] = new RowMajorInt8Linear(inFeatures, outFeatures, q, scales);
        }
        _x = Inputs.Uniform(Rows * inFeatures, 0);
        _y = new float[Rows * outFeatures];
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Panels() => QuantizedGemm.Run(_x, Rows, _panels[Next()], _y, _pool);

    [Benchmark(Baseline = true)]
    public void RowMajorBefore() => RowMajorQuantizedGemm.Run(_x, Rows, _rowMajor[Next()], _y, _pool);

    private int Next() => _next = _next + 1 == _panels.Length ? 0 : _next + 1;
}
