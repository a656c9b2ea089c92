using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed;

/// <summary>The per-frame operations allocate nothing once warm (measured on the calling thread).</summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Per_frame_operations_allocate_nothing(int threads)
    {
        using var backend = Create(threads);
        const int d = 512, heads = 8, ff = 2048;
        ITensor x = backend.Tensor(Random(1, d), 1, d), h = backend.Allocate(new TensorShape(1, ff));
        ITensor y = backend.Allocate(new TensorShape(1, d)), q = backend.Tensor(Random(2, d), 1, d);
        ITensor ones = backend.Tensor(Enumerable.Repeat(1f, d).ToArray(), d), zeros = backend.Allocate(new TensorShape(d));
        IPackedLinear up = backend.PackLinear(new LinearWeights { OutFeatures = ff, InFeatures = d, Weight = Random(3, ff * d) });
        IPackedLinear down = backend.PackLinear(new LinearWeights
        {
            OutFeatures = d,
            InFeatures = ff,
            QuantizedWeight = Array.ConvertAll(Random(4, d * ff, 127f), v => (sbyte)v),
            Scales = Random(5, d),
        });
        IKvCache cache = backend.CreateKvCache(heads, d / heads, 300, 250);
        IKvCache linear = backend.CreateKvCache(heads, d / heads, 300, null);
        var conv = new ConvGeometry(64, 64, 7);
        IPackedConv packedConv = backend.PackConv1d(conv, Random(6, 64 * 64 * 7), Random(7, 64));
        IPackedConv upsample = backend.PackConvTranspose1d(new ConvGeometry(64, 64, 32, 16, Groups: 64), Random(8, 64 * 32), ReadOnlyMemory<float>.Empty);
        IPackedConv convTr = backend.PackConvTranspose1d(new ConvGeometry(64, 32, 8, 4), Random(9, 64 * 32 * 8), Random(10, 32));
        ITensor signal = backend.Tensor(Random(11, 64 * 22), 64, 22), convOut = backend.Allocate(new TensorShape(64, 16));
        ITensor latent = backend.Tensor(Random(12, 64), 64, 1), upsampled = backend.Allocate(new TensorShape(64, 32));
        ITensor convTrOut = backend.Allocate(new TensorShape(32, 92)), strided = backend.Allocate(new TensorShape(64, 10));
        IPackedConv stridedConv = backend.PackConv1d(new ConvGeometry(64, 64, 4, 2), Random(13, 64 * 64 * 4), ReadOnlyMemory<float>.Empty);
        ITensor rows = backend.Tensor(Random(14, 16 * d), 16, d), rowsOut = backend.Allocate(new TensorShape(16, d));
        ITensor rowsQ = backend.Tensor(Random(15, 16 * d), 16, d);
        int position = 0;

        void Frame()
        {
            backend.LayerNorm(x, ones, zeros, 1e-5f, y);
            backend.VarianceNorm(x, ones, 1e-5f, y);
            backend.Linear(x, up, h);
            backend.Unary(UnaryOp.Gelu, h, h);
            backend.Linear(h, down, y);
            backend.Binary(BinaryOp.Add, x, y, y);
            backend.Unary(UnaryOp.Silu, y, y);
            backend.Unary(UnaryOp.Elu, y, y);
            backend.ScaleShift(y, 0.5f, 0.1f, y);
            backend.Rope(q, heads, position, 10_000f, q);
            backend.Attention(q, x, x, cache, position, y);
            backend.Attention(q, x, x, linear, position % 250, y);
            backend.Attention(rowsQ, rows, rows, cache, position, rowsOut);
            backend.Conv1d(signal, packedConv, convOut);
            backend.Conv1d(signal, stridedConv, strided);
            backend.ConvTranspose1d(latent, upsample, upsampled);
            backend.ConvTranspose1d(signal, convTr, convTrOut);
            backend.ReplaceNaN(x, ones, y);
            backend.CopySlice(rows, 0, 3, rowsOut, 5, 2);
            position += 16;
        }

        for (int i = 0; i < 20; i++)
            Frame();
        Infrastructure.Allocation.Measure(() =>
        {
            for (int i = 0; i < 20; i++)
                Frame();
        }).ShouldBe(0);
    }
}
