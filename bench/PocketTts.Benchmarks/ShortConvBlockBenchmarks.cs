using BenchmarkDotNet.Attributes;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;

namespace PocketTts.Benchmarks;

/// <summary>
/// Convolutions over fewer samples than a 256-bit vector, on one thread: <see cref="OneBlockAtATime"/> is
/// <see cref="ConvBlock"/>, block by block, whose tiles then run one float wide (as every such span ran before,
/// issue #19); <see cref="SixteenRowsAtOnce"/> is <see cref="ShortConvBlock"/>, vectorised over the rows. The shapes
/// are Mimi's: the encoder's last convolution (512→32 kernel 32, four outputs a chunk; here with stride 1, the same
/// multiply-adds as after its polyphase split) and the decoder's first (32→512 1×1, one step a frame).
/// </summary>
public class ShortConvBlockBenchmarks
{
    private PackedConv _packed = null!;
    private int[] _offsets = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private int _outLength;

    public static IEnumerable<ConvShape> Shapes =>
    [
        new("512→32 k32 ×4", new ConvGeometry(512, 32, 32), 4 + 31),
        new("32→512 k1 ×1", new ConvGeometry(32, 512, 1), 1),
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

    [Benchmark(Baseline = true)]
    public void OneBlockAtATime()
    {
        int blockSize = _offsets.Length * ConvBlock.Rows;
        for (int block = 0; block < _packed.BlocksPerUnit; block++)
        {
            int o = block * ConvBlock.Rows;
            ConvBlock.Run(
                _x, _offsets, _packed.Weights.AsSpan(block * blockSize, blockSize), _packed.Bias.AsSpan(o, ConvBlock.Rows),
                _y.AsSpan(o * _outLength), _outLength, ConvBlock.Rows, _outLength);
        }
    }

    [Benchmark]
    public void SixteenRowsAtOnce()
    {
        int blockSize = _offsets.Length * ConvBlock.Rows;
        for (int block = 0; block < _packed.BlocksPerUnit; block += ShortConvBlock.Blocks)
        {
            int o = block * ConvBlock.Rows, rows = ShortConvBlock.Blocks * ConvBlock.Rows;
            ShortConvBlock.Run(
                _x, _offsets, _packed.Weights.AsSpan(block * blockSize, ShortConvBlock.Blocks * blockSize), _packed.Bias.AsSpan(o, rows),
                _y.AsSpan(o * _outLength), _outLength, rows, _outLength);
        }
    }
}
