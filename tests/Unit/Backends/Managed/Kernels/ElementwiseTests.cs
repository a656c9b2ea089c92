using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class ElementwiseTests
{
    // Every length up to three vectors and one, so the vector body, the tail and both together run.
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int n = 0; n <= 3 * 8 + 1; n++)
            data.Add(n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Unary_matches_float64_for_every_length(int n)
    {
        using var backend = Create();
        float[] values = Random(n, n, 6f);
        foreach ((UnaryOp op, Func<double, double> reference, Func<double, double> conditioning) in Activations)
        {
            ITensor x = backend.Tensor(values, n), y = backend.Allocate(new TensorShape(n));
            backend.Unary(op, x, y);
            ShouldBeClose(backend.Values(y), Array.ConvertAll(values, v => reference(v)), Array.ConvertAll(values, v => Math.Abs(reference(v)) * conditioning(v)), 1e-6, op.ToString());
        }
    }

    [Theory]
    [InlineData(UnaryOp.Elu, -20.0, 10.0)]
    [InlineData(UnaryOp.Gelu, -13.0, 13.0)]
    [InlineData(UnaryOp.GeluTanh, -13.0, 13.0)]
    [InlineData(UnaryOp.Silu, -80.0, 80.0)]
    public void Unary_matches_float64_over_a_dense_grid(UnaryOp op, double from, double to)
    {
        using var backend = Create();
        const int n = 200_001;
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)(from + (to - from) * i / (n - 1));
        ITensor x = backend.Tensor(values, n), y = backend.Allocate(new TensorShape(n));
        backend.Unary(op, x, y);
        (_, Func<double, double> reference, Func<double, double> conditioning) = Activations.Single(a => a.Op == op);
        ShouldBeClose(backend.Values(y), Array.ConvertAll(values, v => reference(v)), Array.ConvertAll(values, v => Math.Abs(reference(v)) * conditioning(v)), 1e-6, op.ToString());
    }

    [Fact]
    public void Gelu_small_inputs_and_special_values()
    {
        using var backend = Create();
        float[] values = [0f, -0f, 1e-30f, -1e-30f, 1e-4f, -1e-4f, float.PositiveInfinity, 30f, -30f, float.NaN];
        ITensor x = backend.Tensor(values, values.Length);
        backend.Unary(UnaryOp.Gelu, x, x);
        float[] y = backend.Values(x);
        ShouldBeClose(y[..6], Array.ConvertAll(values[..6], v => DoubleReference.Gelu(v)), 1e-6);
        y[6].ShouldBe(float.PositiveInfinity);
        y[7].ShouldBe(30f);
        y[8].ShouldBe(0f);
        float.IsNaN(y[9]).ShouldBeTrue();
    }

    [Fact]
    public void Unary_works_in_place()
    {
        using var backend = Create();
        float[] values = Random(7, 19, 3f);
        ITensor x = backend.Tensor(values, 19);
        backend.Unary(UnaryOp.Silu, x, x);
        ShouldBeClose(backend.Values(x), Array.ConvertAll(values, v => DoubleReference.Silu(v)), 1e-6);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Binary_with_equal_shapes(int n)
    {
        using var backend = Create();
        float[] a = Random(1, n), b = Random(2, n);
        ITensor at = backend.Tensor(a, n), bt = backend.Tensor(b, n), y = backend.Allocate(new TensorShape(n));
        backend.Binary(BinaryOp.Add, at, bt, y);
        backend.Values(y).ShouldBe(a.Zip(b, (u, v) => u + v).ToArray());
        backend.Binary(BinaryOp.Multiply, at, bt, at);
        backend.Values(at).ShouldBe(a.Zip(b, (u, v) => u * v).ToArray());
    }

    [Fact]
    public void Long_arrays_shared_by_two_threads_equal_one_thread_bit_for_bit()
    {
        // Three whole pieces of 16K floats and a partial one: the pool shares them out on two threads.
        const int n = (3 * 16 * 1024) + 5;
        float[] a = Random(3, n, 6f), b = Random(4, n);
        float[][] Run(int threads)
        {
            using var backend = Create(threads);
            ITensor at = backend.Tensor(a, n), bt = backend.Tensor(b, n), y = backend.Allocate(new TensorShape(n));
            var results = new List<float[]>();
            foreach ((UnaryOp op, _, _) in Activations)
            {
                backend.Unary(op, at, y);
                results.Add(backend.Values(y));
            }
            backend.Binary(BinaryOp.Add, at, bt, y);
            results.Add(backend.Values(y));
            backend.ScaleShift(at, 0.5f, 2f, y);
            results.Add(backend.Values(y));
            return [.. results];
        }
        float[][] single = Run(1), two = Run(2);
        single[^2].ShouldBe(a.Zip(b, (u, v) => u + v).ToArray());
        for (int i = 0; i < single.Length; i++)
            ShouldBeBitIdentical(two[i], single[i], $"result {i}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(17)]
    public void Binary_repeats_b_over_leading_axes(int features)
    {
        using var backend = Create();
        float[] a = Random(3, 3 * 2 * features), b = Random(4, features);
        ITensor at = backend.Tensor(a, 3, 2, features), bt = backend.Tensor(b, features);
        backend.Binary(BinaryOp.Multiply, at, bt, at);
        backend.Values(at).ShouldBe(a.Select((v, i) => v * b[i % features]).ToArray());
        ITensor b2 = backend.Tensor(Random(5, 2 * features), 2, features), y = backend.Allocate(at.Shape);
        backend.Binary(BinaryOp.Add, at, b2, y);
        float[] expected = backend.Values(at).Select((v, i) => v + backend.Values(b2)[i % (2 * features)]).ToArray();
        backend.Values(y).ShouldBe(expected);
    }

    [Fact]
    public void Binary_rejects_a_b_that_is_not_a_trailing_shape()
    {
        using var backend = Create();
        ITensor a = backend.Allocate(new TensorShape(2, 3)), b = backend.Allocate(new TensorShape(2));
        var e = Should.Throw<ArgumentException>(() => backend.Binary(BinaryOp.Add, a, b, a));
        e.Message.ShouldContain("b has shape [2], expected [2, 3] or its trailing axes");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ScaleShift_is_x_times_scale_plus_shift(int n)
    {
        using var backend = Create();
        float[] x = Random(n, n, 10f);
        ITensor t = backend.Tensor(x, n);
        backend.ScaleShift(t, 0.37f, -1.5f, t);
        ShouldBeClose(backend.Values(t), x.Select(v => v * (double)0.37f - 1.5).ToArray(), x.Select(v => Math.Abs(v * 0.37) + 1.5).ToArray(), 1e-7);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 9)]
    [InlineData(4, 32)]
    public void ReplaceNaN_fills_each_NaN_with_its_column(int rows, int features)
    {
        using var backend = Create();
        float[] x = Random(1, rows * features);
        for (int i = 0; i < x.Length; i += 3)
            x[i] = float.NaN;
        float[] fill = Random(2, features);
        ITensor xt = backend.Tensor(x, rows, features), y = backend.Allocate(xt.Shape);
        backend.ReplaceNaN(xt, backend.Tensor(fill, features), y);
        backend.Values(y).ShouldBe(x.Select((v, i) => float.IsNaN(v) ? fill[i % features] : v).ToArray());
    }

    // Each activation, its float64 value, and the factor by which float32 rounding of its inputs is amplified: 1 for
    // all but tanh GELU, whose tail x·e^(2u) inherits the rounding of the exponent 2u (one ulp of |2u| relative).
    private static readonly (UnaryOp Op, Func<double, double> Reference, Func<double, double> Conditioning)[] Activations =
    [
        (UnaryOp.Elu, DoubleReference.Elu, _ => 1),
        (UnaryOp.Gelu, DoubleReference.Gelu, _ => 1),
        (UnaryOp.GeluTanh, DoubleReference.GeluTanh, x => Math.Max(1, 2 * Math.Abs(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        (UnaryOp.Silu, DoubleReference.Silu, _ => 1),
    ];
}
