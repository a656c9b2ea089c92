using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed;

public sealed class ManagedTensorBackendTests
{
    [Fact]
    public void Threads_zero_means_one_per_core()
    {
        using var all = new ManagedTensorBackend(new BackendOptions());
        all.Threads.ShouldBe(Environment.ProcessorCount);
        using var one = Create(1);
        one.Threads.ShouldBe(1);
        Should.Throw<ArgumentOutOfRangeException>(() => new ManagedTensorBackend(new BackendOptions { Threads = -1 }));
    }

    [Fact]
    public void Allocate_constant_write_read_fill()
    {
        using var backend = Create();
        ITensor t = backend.Allocate(new TensorShape(2, 3));
        t.Shape.ShouldBe(new TensorShape(2, 3));
        backend.Values(t).ShouldBe(new float[6]);
        backend.Write([1, 2, 3, 4, 5, 6], t);
        backend.Values(t).ShouldBe([1f, 2, 3, 4, 5, 6]);
        backend.Fill(t, 7f);
        backend.Values(t).ShouldAllBe(v => v == 7f);
        backend.Values(backend.Tensor([1, 2], 2)).ShouldBe([1f, 2]);
        Should.Throw<ArgumentException>(() => backend.Constant([1, 2, 3], new TensorShape(2)))
            .Message.ShouldStartWith("Constant: values has 3 values, expected 2.");
        Should.Throw<ArgumentException>(() => backend.Write([1], t)).Message.ShouldStartWith("Write: source has 1 values, expected 6.");
        Should.Throw<ArgumentException>(() => backend.Read(t, new float[5])).Message.ShouldStartWith("Read: destination has 5 values, expected 6.");
    }

    [Fact]
    public void CopySlice_along_the_first_and_the_last_axis()
    {
        using var backend = Create();
        ITensor source = backend.Tensor([.. Enumerable.Range(0, 12).Select(i => (float)i)], 3, 4);
        ITensor rows = backend.Allocate(new TensorShape(4, 4));
        backend.CopySlice(source, 0, 1, rows, 2, 2);
        backend.Values(rows).ShouldBe([0f, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11]);
        ITensor columns = backend.Allocate(new TensorShape(3, 3));
        backend.CopySlice(source, 1, 2, columns, 0, 2);
        backend.Values(columns).ShouldBe([2f, 3, 0, 6, 7, 0, 10, 11, 0]);
        Should.Throw<ArgumentOutOfRangeException>(() => backend.CopySlice(source, 1, 3, columns, 0, 2))
            .Message.ShouldContain("slices 3…4 are outside axis 1 of source [3, 4]");
        Should.Throw<ArgumentException>(() => backend.CopySlice(source, 0, 0, backend.Allocate(new TensorShape(3, 5)), 0, 1))
            .Message.ShouldContain("they must agree on every axis but 0");
        Should.Throw<ArgumentOutOfRangeException>(() => backend.CopySlice(backend.Allocate(new TensorShape(2, 2, 2)), 1, 0, backend.Allocate(new TensorShape(2, 2, 2)), 0, 1))
            .Message.ShouldContain("axis must be 0 or the last axis (2)");
        Should.Throw<ArgumentException>(() => backend.CopySlice(source, 0, 0, source, 1, 1)).Message.ShouldContain("must be different tensors");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(40, 33)]
    public void Transpose_swaps_the_axes(int a, int b)
    {
        using var backend = Create();
        float[] x = Random(a * b, a * b);
        ITensor y = backend.Allocate(new TensorShape(b, a));
        backend.Transpose(backend.Tensor(x, a, b), y);
        float[] values = backend.Values(y);
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
                values[j * a + i].ShouldBe(x[i * b + j]);
        }
    }

    [Fact]
    public void Embedding_gathers_rows_and_rejects_ids_outside_the_table()
    {
        using var backend = Create();
        ITensor table = backend.Tensor([0, 1, 10, 11, 20, 21], 3, 2);
        ITensor y = backend.Allocate(new TensorShape(4, 2));
        backend.Embedding(table, [2, 0, 2, 1], y);
        backend.Values(y).ShouldBe([20f, 21, 0, 1, 20, 21, 10, 11]);
        var e = Should.Throw<ArgumentOutOfRangeException>(() => backend.Embedding(table, [0, 3, 1, 1], y));
        e.Message.ShouldContain("ids[1] = 3 is outside the table's 3 rows");
        backend.Values(y).ShouldBe([20f, 21, 0, 1, 20, 21, 10, 11]);
    }

    [Fact]
    public void TimestepEmbedding_is_cos_then_sin()
    {
        using var backend = Create();
        float[] t = [0f, 0.25f, 1f], f = [1f, 0.1f, 0.01f];
        ITensor y = backend.Allocate(new TensorShape(3, 6));
        backend.TimestepEmbedding(backend.Tensor(t, 3, 1), backend.Tensor(f, 3), y);
        float[] values = backend.Values(y);
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < 3; i++)
            {
                values[r * 6 + i].ShouldBe((float)Math.Cos(t[r] * f[i]), 1e-7);
                values[r * 6 + 3 + i].ShouldBe((float)Math.Sin(t[r] * f[i]), 1e-7);
            }
        }
        Should.Throw<ArgumentException>(() => backend.TimestepEmbedding(backend.Tensor(t, 3, 1), backend.Tensor(f, 3), backend.Allocate(new TensorShape(3, 5))))
            .Message.ShouldBe("TimestepEmbedding: y has shape [3, 5], expected [3, 6]. (Parameter 'y')");
    }

    [Fact]
    public void Shape_mismatches_name_the_tensor_and_both_shapes()
    {
        using var backend = Create();
        ITensor x = backend.Allocate(new TensorShape(2, 4));
        Should.Throw<ArgumentException>(() => backend.Unary(UnaryOp.Gelu, x, backend.Allocate(new TensorShape(4, 2))))
            .Message.ShouldBe("Unary: y has shape [4, 2], expected [2, 4] (the shape of x). (Parameter 'y')");
        Should.Throw<ArgumentException>(() => backend.VarianceNorm(x, backend.Allocate(new TensorShape(3)), 1e-5f, x))
            .Message.ShouldBe("VarianceNorm: alpha has shape [3], expected [4]. (Parameter 'alpha')");
        Should.Throw<ArgumentException>(() => backend.ReplaceNaN(x, backend.Allocate(new TensorShape(2)), x))
            .Message.ShouldBe("ReplaceNaN: fill has shape [2], expected [4]. (Parameter 'fill')");
        Should.Throw<ArgumentException>(() => backend.Transpose(x, x))
            .Message.ShouldBe("Transpose: y has shape [2, 4], expected [4, 2]. (Parameter 'y')");
    }

    [Fact]
    public void Tensors_of_another_backend_are_refused()
    {
        using var backend = Create();
        var e = Should.Throw<ArgumentException>(() => backend.Fill(new ForeignTensor(), 0f));
        e.Message.ShouldStartWith("Fill: destination is a ForeignTensor, not a tensor of the managed backend.");
    }

    private sealed class ForeignTensor : ITensor
    {
        public TensorShape Shape => new(1);

        public void Dispose() { }
    }
}
