using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// The convolution micro-kernel alone, over every block of a stride-1 layer on one thread: <see cref="Current"/>
/// is <see cref="ConvBlock"/>, <see cref="Before"/> the kernel it replaced (<see cref="ConvBlockBefore"/>, issue #19),
/// in the same run, each block over the whole signal; <see cref="InSpans"/> is <see cref="ConvBlock"/> walked as
/// <see cref="Conv1d"/> walks it, every block over one span of samples (<see cref="ConvBlock.SpanLength"/>) before the
/// next span. The shapes are the SEANet decoder's at one frame's lengths (the 2-tap ones are its transposed
/// convolutions' phases) and the encoder's over a 4-frame chunk.
/// </summary>
public class ConvBlockBenchmarks
{
    private PackedConv _packed = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private int[] _offsets = null!;
    private int _outLength;

    public static IEnumerable<ConvShape> Shapes =>
    [
        new("512→512 k7 ×22", new ConvGeometry(512, 512, 7), 16 + 6),
        new("512→1536 k2 ×17", new ConvGeometry(512, 1536, 2), 16 + 1),
        new("128→256 k2 ×481", new ConvGeometry(128, 256, 2), 480 + 1),
        new("256→128 k3 ×98", new ConvGeometry(256, 128, 3), 96 + 2),
        new("128→64 k3 ×482", new ConvGeometry(128, 64, 3), 480 + 2),
        new("64→32 k3 ×1922", new ConvGeometry(64, 32, 3), 1920 + 2),
        new("32→64 k1 ×1920", new ConvGeometry(32, 64, 1), 1920),
        new("64→32 k3 ×7682", new ConvGeometry(64, 32, 3), 7680 + 2),
        new("128→64 k3 ×1922", new ConvGeometry(128, 64, 3), 1920 + 2),
    ];

    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        ConvGeometry g = Shape.Geometry;
        _packed = PackedConv.Conv(g, Inputs.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 1), Inputs.Uniform(g.OutChannels, 2));
        _outLength = g.ConvOutputLength(Shape.Length);
        _x = Inputs.Uniform(g.InChannels * Shape.Length, 3);
        _y = new float[g.OutChannels * _outLength];
        _offsets = new int[g.InChannels * g.KernelSize];
        ConvBlock.StepOffsets(Shape.Length, 0, g.InChannels, _packed.TapPhase, _packed.TapShift, _offsets);
    }

    [Benchmark]
    public void Current()
    {
        int blockSize = _packed.InPerGroup * _packed.Geometry.KernelSize * ConvBlock.Rows;
        for (int block = 0; block < _packed.BlocksPerUnit; block++)
        {
            int o = block * ConvBlock.Rows;
            ConvBlock.Run(
                _x, _offsets, _packed.Weights.AsSpan(block * blockSize, blockSize),
                _packed.Bias.AsSpan(o, ConvBlock.Rows), _y.AsSpan(o * _outLength), _outLength, ConvBlock.Rows, _outLength);
        }
    }

    [Benchmark]
    public void InSpans()
    {
        int blockSize = _packed.InPerGroup * _packed.Geometry.KernelSize * ConvBlock.Rows;
        int span = ConvBlock.SpanLength(_packed.InPerGroup, _outLength);
        for (int t0 = 0; t0 < _outLength; t0 += span)
        {
            for (int block = 0; block < _packed.BlocksPerUnit; block++)
            {
                int o = block * ConvBlock.Rows;
                ConvBlock.Run(
                    _x.AsSpan(t0), _offsets, _packed.Weights.AsSpan(block * blockSize, blockSize),
                    _packed.Bias.AsSpan(o, ConvBlock.Rows), _y.AsSpan(o * _outLength + t0), _outLength, ConvBlock.Rows, Math.Min(span, _outLength - t0));
            }
        }
    }

    [Benchmark(Baseline = true)]
    public void Before()
    {
        int blockSize = _packed.InPerGroup * _packed.Geometry.KernelSize * ConvBlock.Rows;
        for (int block = 0; block < _packed.BlocksPerUnit; block++)
        {
            int o = block * ConvBlock.Rows;
            ConvBlockBefore.Run(
                _x, Shape.Length, 0, _packed.InPerGroup, _packed.TapPhase, _packed.TapShift, _packed.Weights.AsSpan(block * blockSize, blockSize),
                _packed.Bias.AsSpan(o, ConvBlock.Rows), _y.AsSpan(o * _outLength), _outLength, ConvBlock.Rows, _outLength);
        }
    }
}
