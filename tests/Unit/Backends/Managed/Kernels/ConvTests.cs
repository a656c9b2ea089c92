using System.Runtime.Intrinsics;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class ConvTests
{
    // (in, out, kernel, stride, dilation, groups): dense, strided, dilated, grouped, depthwise, and the Mimi shapes.
    public static TheoryData<int, int, int, int, int, int> Geometries() => new()
    {
        { 1, 1, 1, 1, 1, 1 },
        { 3, 5, 3, 1, 1, 1 },
        { 4, 4, 7, 1, 1, 1 },
        { 6, 9, 3, 1, 3, 1 },
        { 5, 3, 4, 2, 1, 1 },
        { 4, 8, 6, 3, 1, 1 },
        { 3, 7, 3, 2, 2, 1 },
        { 4, 6, 3, 1, 1, 2 },
        { 6, 6, 5, 2, 1, 3 },
        { 8, 8, 3, 1, 2, 8 },
        { 8, 16, 4, 1, 1, 8 },
        { 16, 32, 32, 16, 1, 1 },
        { 64, 8, 8, 4, 1, 1 },      // 256 input rows a sample: the long signal takes spans of 96 outputs and a partial one
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Conv1d_matches_float64_for_every_length(int inChannels, int outChannels, int kernel, int stride, int dilation, int groups)
    {
        using var backend = Create();
        var g = new ConvGeometry(inChannels, outChannels, kernel, stride, dilation, groups);
        float[] w = Random(1, outChannels * (inChannels / groups) * kernel), bias = Random(2, outChannels);
        IPackedConv packed = backend.PackConv1d(g, w, bias);
        int shortest = g.EffectiveKernelSize - 1;
        // Output lengths 0 … 3·8 + 1 so every tile of the kernel and the tail run, plus a long signal.
        foreach (int length in Enumerable.Range(shortest, (3 * 8 + 2) * stride).Append(shortest + 300 * stride))
        {
            float[] x = Random(length, inChannels * length);
            ITensor y = backend.Allocate(new TensorShape(outChannels, g.ConvOutputLength(length)));
            backend.Conv1d(backend.Tensor(x, inChannels, length), packed, y);
            (double[] expected, double[] magnitude) = DoubleReference.Conv1d(x, inChannels, length, w, bias, outChannels, kernel, stride, dilation, groups);
            ShouldBeClose(backend.Values(y), expected, magnitude, 1e-6, $"T = {length}");
        }
    }

    [Theory]
    [MemberData(nameof(TransposedGeometries))]
    public void ConvTranspose1d_matches_float64_for_every_length(int inChannels, int outChannels, int kernel, int stride, int groups)
    {
        using var backend = Create();
        var g = new ConvGeometry(inChannels, outChannels, kernel, stride, 1, groups);
        float[] w = Random(3, inChannels * (outChannels / groups) * kernel), bias = Random(4, outChannels);
        IPackedConv packed = backend.PackConvTranspose1d(g, w, bias);
        foreach (int length in Enumerable.Range(0, 3 * 8 + 2).Append(200))
        {
            float[] x = Random(length, inChannels * length);
            ITensor y = backend.Allocate(new TensorShape(outChannels, g.TransposedOutputLength(length)));
            backend.ConvTranspose1d(backend.Tensor(x, inChannels, length), packed, y);
            (double[] expected, double[] magnitude) = DoubleReference.ConvTranspose1d(x, inChannels, length, w, bias, outChannels, kernel, stride, groups);
            ShouldBeClose(backend.Values(y), expected, magnitude, 1e-6, $"T = {length}");
        }
    }

    public static TheoryData<int, int, int, int, int> TransposedGeometries() => new()
    {
        { 1, 1, 1, 1, 1 },
        { 3, 5, 4, 2, 1 },
        { 8, 4, 12, 6, 1 },
        { 6, 3, 10, 5, 1 },
        { 4, 2, 8, 4, 1 },
        { 4, 6, 3, 1, 2 },
        { 8, 8, 32, 16, 8 },
        { 6, 12, 5, 3, 3 },
        { 256, 4, 4, 2, 1 },        // 256 input rows: the long signal takes spans of 96 columns and a partial one
    };

    [Fact]
    public void Convolutions_without_bias_start_from_zero()
    {
        using var backend = Create();
        IPackedConv conv = backend.PackConv1d(new ConvGeometry(1, 1, 2), new float[] { 1, 2 }, ReadOnlyMemory<float>.Empty);
        ITensor y = backend.Allocate(new TensorShape(1, 2));
        backend.Conv1d(backend.Tensor([1, 10, 100], 1, 3), conv, y);
        backend.Values(y).ShouldBe([21f, 210f]);
        IPackedConv convTr = backend.PackConvTranspose1d(new ConvGeometry(1, 1, 2, 2), new float[] { 1, 2 }, ReadOnlyMemory<float>.Empty);
        ITensor z = backend.Allocate(new TensorShape(1, 4));
        backend.ConvTranspose1d(backend.Tensor([3, 5], 1, 2), convTr, z);
        backend.Values(z).ShouldBe([3f, 6f, 5f, 10f]);
    }

    [Theory]
    [InlineData(5, 7, 3, 2, true)]     // a block of 4 rows and a padded one of 3; dilated taps
    [InlineData(3, 2, 1, 1, false)]    // a single padded block of 2 rows, one tap, no bias
    [InlineData(16, 4, 7, 1, true)]    // the SEANet kernel size
    public void The_128_bit_and_scalar_tiles_equal_the_256_bit_ones_bit_for_bit(int inChannels, int outChannels, int kernel, int dilation, bool withBias)
    {
        var g = new ConvGeometry(inChannels, outChannels, kernel, 1, dilation);
        float[] w = Random(10, outChannels * inChannels * kernel);
        float[]? bias = withBias ? Random(11, outChannels) : null;
        var packed = PackedConv.Conv(g, w, bias);
        // Every length up to four 256-bit vectors and one (each tile shape, the overlapping last tile, signals
        // shorter than a vector), and long signals whose tails are not whole tiles.
        foreach (int length in Enumerable.Range(0, 4 * 8 + 2).Concat([97, 482]))
        {
            int inLength = length + g.EffectiveKernelSize - 1;
            float[] x = Random(length, inChannels * inLength);
            float[] Run<TLanes, TVector>()
                where TLanes : struct, ILanes<TVector>
                where TVector : struct
            {
                var y = new float[outChannels * length];
                int blockSize = inChannels * kernel * ConvBlock.Rows;
                var offsets = new int[inChannels * kernel];
                ConvBlock.StepOffsets(inLength, 0, inChannels, packed.TapPhase, packed.TapShift, offsets);
                for (int block = 0; block < packed.BlocksPerUnit; block++)
                {
                    int o = block * ConvBlock.Rows, rows = Math.Min(ConvBlock.Rows, outChannels - o);
                    ConvBlock.Run<TLanes, TVector>(
                        x, offsets, packed.Weights.AsSpan(block * blockSize, blockSize),
                        bias is null ? default : bias.AsSpan(o, rows), y.AsSpan(o * length), length, rows, length);
                }
                return y;
            }
            float[] scalar = Run<Lanes32, float>();
            (double[] expected, double[] magnitude) = DoubleReference.Conv1d(x, inChannels, inLength, w, bias, outChannels, kernel, 1, dilation, 1);
            ShouldBeClose(scalar, expected, magnitude, 1e-6, $"scalar, T = {length}");
            ShouldBeBitIdentical(Run<Lanes128, Vector128<float>>(), scalar, $"128-bit, T = {length}");
            // Emulated 256-bit vectors (ARM64) multiply and add apart where the scalar path fuses.
            if (Vector256.IsHardwareAccelerated)
                ShouldBeBitIdentical(Run<Lanes256, Vector256<float>>(), scalar, $"256-bit, T = {length}");
        }
    }

    [Theory]
    [InlineData(5, 16, 3, 1, true)]     // four whole blocks
    [InlineData(7, 13, 4, 2, false)]    // a fourth block of one row; dilated taps, no bias
    [InlineData(3, 11, 1, 1, true)]     // three blocks: ConvBlock one by one
    public void Spans_shorter_than_a_vector_equal_the_scalar_tiles_bit_for_bit(int inChannels, int rows, int kernel, int dilation, bool withBias)
    {
        var g = new ConvGeometry(inChannels, rows, kernel, 1, dilation);
        float[] w = Random(12, rows * inChannels * kernel);
        float[]? bias = withBias ? Random(13, rows) : null;
        var packed = PackedConv.Conv(g, w, bias);
        int blockSize = inChannels * kernel * ConvBlock.Rows;
        foreach (int length in Enumerable.Range(1, 7))
        {
            int inLength = length + g.EffectiveKernelSize - 1;
            float[] x = Random(length, inChannels * inLength);
            var offsets = new int[inChannels * kernel];
            ConvBlock.StepOffsets(inLength, 0, inChannels, packed.TapPhase, packed.TapShift, offsets);
            var scalar = new float[rows * length];
            for (int block = 0; block < packed.BlocksPerUnit; block++)
            {
                int o = block * ConvBlock.Rows, blockRows = Math.Min(ConvBlock.Rows, rows - o);
                ConvBlock.Run<Lanes32, float>(
                    x, offsets, packed.Weights.AsSpan(block * blockSize, blockSize), bias is null ? default : bias.AsSpan(o, blockRows),
                    scalar.AsSpan(o * length), length, blockRows, length);
            }
            (double[] expected, double[] magnitude) = DoubleReference.Conv1d(x, inChannels, inLength, w, bias, rows, kernel, 1, dilation, 1);
            ShouldBeClose(scalar, expected, magnitude, 1e-6, $"scalar, T = {length}");
            if (!ShortConvBlock.Suits(length))
                continue;
            var y = new float[rows * length];
            ShortConvBlock.Run(x, offsets, packed.Weights, bias, y, length, rows, length);
            ShouldBeBitIdentical(y, scalar, $"16 rows at once, T = {length}");
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var conv = new ConvGeometry(64, 48, 7, 1, 3);
        var convTr = new ConvGeometry(64, 32, 8, 4);
        // 600 samples of 64 channels: three spans of columns (ConvBlock.SpanLength), shared out with the blocks.
        float[] wc = Random(5, 48 * 64 * 7), wt = Random(6, 64 * 32 * 8), x = Random(7, 64 * 600);
        (float[], float[]) Run(int threads)
        {
            using var backend = Create(threads);
            ITensor xt = backend.Tensor(x, 64, 600);
            ITensor y = backend.Allocate(new TensorShape(48, conv.ConvOutputLength(600)));
            ITensor z = backend.Allocate(new TensorShape(32, convTr.TransposedOutputLength(600)));
            backend.Conv1d(xt, backend.PackConv1d(conv, wc, Random(8, 48)), y);
            backend.ConvTranspose1d(xt, backend.PackConvTranspose1d(convTr, wt, Random(9, 32)), z);
            return (backend.Values(y), backend.Values(z));
        }
        (float[] y1, float[] z1) = Run(1);
        (float[] y2, float[] z2) = Run(2);
        ShouldBeBitIdentical(y2, y1, "conv");
        ShouldBeBitIdentical(z2, z1, "transposed conv");
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        using var backend = Create();
        var g = new ConvGeometry(2, 3, 3);
        IPackedConv conv = backend.PackConv1d(g, new float[18], ReadOnlyMemory<float>.Empty);
        Should.Throw<ArgumentException>(() => backend.Conv1d(backend.Allocate(new TensorShape(2, 10)), conv, backend.Allocate(new TensorShape(3, 9))))
            .Message.ShouldBe("Conv1d: y has shape [3, 9], expected [3, 8]. (Parameter 'y')");
        Should.Throw<ArgumentException>(() => backend.Conv1d(backend.Allocate(new TensorShape(4, 10)), conv, backend.Allocate(new TensorShape(3, 8))))
            .Message.ShouldBe("Conv1d: x has shape [4, 10], expected [InChannels=2, T]. (Parameter 'x')");
        Should.Throw<ArgumentException>(() => backend.ConvTranspose1d(backend.Allocate(new TensorShape(2, 10)), conv, backend.Allocate(new TensorShape(3, 12))))
            .Message.ShouldContain("packed for a convolution");
        Should.Throw<ArgumentException>(() => backend.PackConv1d(g, new float[17], ReadOnlyMemory<float>.Empty))
            .Message.ShouldContain("weight has 17 values, expected 18");
        Should.Throw<ArgumentException>(() => backend.PackConv1d(g, new float[18], new float[2]))
            .Message.ShouldContain("bias has 2 values, expected 3");
        Should.Throw<ArgumentException>(() => backend.PackConvTranspose1d(new ConvGeometry(2, 2, 3, 1, 2), new float[12], ReadOnlyMemory<float>.Empty))
            .Message.ShouldContain("dilation 1 only");
        Should.Throw<ArgumentException>(() => backend.PackConv1d(new ConvGeometry(3, 4, 3, Groups: 2), new float[24], ReadOnlyMemory<float>.Empty))
            .Message.ShouldContain("multiples of Groups");
    }
}
