using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class RopeTests
{
    [Theory]
    [InlineData(1, 1, 2, 0)]
    [InlineData(3, 2, 6, 5)]
    [InlineData(2, 16, 64, 0)]
    [InlineData(4, 8, 64, 1234)]
    [InlineData(5, 3, 10, 77)]
    [InlineData(1, 1, 26, 3)]
    public void Rope_rotates_interleaved_pairs_as_the_reference(int rows, int heads, int headDim, int position)
    {
        using var backend = Create();
        const float maxPeriod = 10_000f;
        float[] x = Random(headDim, rows * heads * headDim);
        ITensor xt = backend.Tensor(x, rows, heads * headDim), y = backend.Allocate(xt.Shape);
        backend.Rope(xt, heads, position, maxPeriod, y);
        backend.Rope(xt, heads, position, maxPeriod, xt);

        (double[] expected, double[] magnitude) = DoubleReference.Rope(x, rows, heads, headDim, position, maxPeriod);
        ShouldBeClose(backend.Values(y), expected, magnitude, 3e-7);
        ShouldBeBitIdentical(backend.Values(xt), backend.Values(y), "in place");
    }

    [Fact]
    public void Rope_needs_an_even_head_dimension()
    {
        using var backend = Create();
        ITensor x = backend.Allocate(new TensorShape(2, 6));
        Should.Throw<ArgumentException>(() => backend.Rope(x, 2, 0, 10_000f, x))
            .Message.ShouldContain("expected [T, heads·headDim] with 2 heads of an even headDim");
    }
}
