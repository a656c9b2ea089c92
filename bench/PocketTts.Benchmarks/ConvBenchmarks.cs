using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>A convolution of the SEANet decoder and the input samples it sees in one 80 ms frame.</summary>
/// <param name="Name">How the table shows it: channels, kernel, stride, input samples.</param>
/// <param name="Geometry">The layer.</param>
/// <param name="Length">Input samples per frame (for a streaming convolution, the frame plus the carried history).</param>
public sealed record ConvShape(string Name, ConvGeometry Geometry, int Length)
{
    public override string ToString() => Name;
}

/// <summary>
/// The SEANet decoder's convolutions at the lengths of one Mimi frame (1920 samples at 24 kHz). The decoder runs
/// at 16, 96, 480 and 1920 samples per frame after its 512-channel input and three transposed upsamplings
/// (stride 6, 5, 4); each residual block is a kernel-3 convolution halving the channels and a 1×1 back. The
/// 512→32 stride-16 convolution ends the encoder, four outputs a chunk of 7680 samples.
/// </summary>
public class ConvBenchmarks
{
    private PackedConv _packed = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private WorkerPool _pool = null!;

    public static IEnumerable<ConvShape> Convolutions =>
    [
        new("512→512 k7 ×22", new ConvGeometry(512, 512, 7), 16 + 6),
        new("256→128 k3 ×98", new ConvGeometry(256, 128, 3), 96 + 2),
        new("128→64 k3 ×482", new ConvGeometry(128, 64, 3), 480 + 2),
        new("64→32 k3 ×1922", new ConvGeometry(64, 32, 3), 1920 + 2),
        new("32→64 k1 ×1920", new ConvGeometry(32, 64, 1), 1920),
        new("64→1 k3 ×1922", new ConvGeometry(64, 1, 3), 1920 + 2),
        new("512→32 k32 s16 ×80", new ConvGeometry(512, 32, 32, Stride: 16), 80),
    ];

    public static IEnumerable<ConvShape> TransposedConvolutions =>
    [
        new("512→256 k12 s6 ×16", new ConvGeometry(512, 256, 12, Stride: 6), 16),
        new("256→128 k10 s5 ×96", new ConvGeometry(256, 128, 10, Stride: 5), 96),
        new("128→64 k8 s4 ×480", new ConvGeometry(128, 64, 8, Stride: 4), 480),
        new("512 dw k32 s16 ×1", new ConvGeometry(512, 512, 32, Stride: 16, Groups: 512), 1),
    ];

    [ParamsSource(nameof(AllShapes))]
    public ConvShape Shape { get; set; } = null!;

    public static IEnumerable<ConvShape> AllShapes => Convolutions.Concat(TransposedConvolutions);

    private bool IsTransposed => TransposedConvolutions.Any(s => s.Name == Shape.Name);

    [GlobalSetup]
    public void Setup()
    {
        ConvGeometry g = Shape.Geometry;
        float[] bias = Inputs.Uniform(g.OutChannels, 2);
        if (IsTransposed)
        {
            _packed = PackedConv.Transposed(g, Inputs.Uniform(g.InChannels * (g.OutChannels / g.Groups) * g.KernelSize, 1), bias);
            _y = new float[g.OutChannels * g.TransposedOutputLength(Shape.Length)];
        }
        else
        {
            _packed = PackedConv.Conv(g, Inputs.Uniform(g.OutChannels * (g.InChannels / g.Groups) * g.KernelSize, 1), bias);
            _y = new float[g.OutChannels * g.ConvOutputLength(Shape.Length)];
        }
        _x = Inputs.Uniform(g.InChannels * Shape.Length, 3);
        _pool = new WorkerPool(1);
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void Forward()
    {
        if (_packed.IsTransposed)
            ConvTranspose1d.Run(_x, Shape.Length, _packed, _y, _pool);
        else
            Conv1d.Run(_x, Shape.Length, _packed, _y, _pool);
    }
}
