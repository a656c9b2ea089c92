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

        // apply_rope in pocket_tts/modules/rope.py: frequencies and angles in float32, the rotation in float64 here.
        var expected = new double[x.Length];
        var magnitude = new double[x.Length];
        float step = (float)(-Math.Log(maxPeriod) * 2 / headDim);
        for (int t = 0; t < rows; t++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int i = 0; i < headDim / 2; i++)
                {
                    float angle = (position + t) * MathF.Exp(i * step);
                    int at = (t * heads + h) * headDim + 2 * i;
                    double re = x[at], im = x[at + 1], c = Math.Cos(angle), s = Math.Sin(angle);
                    expected[at] = re * c - im * s;
                    expected[at + 1] = re * s + im * c;
                    magnitude[at] = magnitude[at + 1] = Math.Abs(re) + Math.Abs(im);
                }
            }
        }
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
