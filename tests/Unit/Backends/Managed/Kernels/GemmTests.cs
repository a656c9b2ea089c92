using System.Runtime.Intrinsics;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class GemmTests
{
    public static TheoryData<int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool>();
        // Every input width up to three vectors and one, with row and output counts that hit every micro-kernel
        // (tiles of 6, 5 and 4 rows, a 4-row tile with repeated rows, the single row) and partial panels.
        for (int k = 1; k <= 3 * 8 + 1; k++)
            data.Add(k % 6 + 1, k, k % 11 + 1, k % 2 == 0);
        data.Add(1, 1024, 37, true);
        data.Add(9, 64, 19, false);
        data.Add(4, 512, 8, true);
        data.Add(13, 100, 33, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Linear_matches_float64(int rows, int inFeatures, int outFeatures, bool withBias)
    {
        using var backend = Create();
        float[] x = Random(1, rows * inFeatures), w = Random(2, outFeatures * inFeatures);
        float[]? bias = withBias ? Random(3, outFeatures) : null;
        IPackedLinear packed = backend.PackLinear(new LinearWeights { OutFeatures = outFeatures, InFeatures = inFeatures, Weight = w, Bias = bias });
        ITensor y = backend.Allocate(new TensorShape(rows, outFeatures));
        backend.Linear(backend.Tensor(x, rows, inFeatures), packed, y);
        (double[] expected, double[] magnitude) = DoubleReference.Linear(x, rows, w, outFeatures, bias);
        ShouldBeClose(backend.Values(y), expected, magnitude, 1e-6);
    }

    [Fact]
    public void A_row_alone_equals_the_same_row_of_a_batch_bit_for_bit()
    {
        using var backend = Create();
        const int rows = 7, k = 131, n = 23;
        float[] x = Random(4, rows * k), w = Random(5, n * k);
        IPackedLinear packed = backend.PackLinear(new LinearWeights { OutFeatures = n, InFeatures = k, Weight = w, Bias = Random(6, n) });
        ITensor y = backend.Allocate(new TensorShape(rows, n)), one = backend.Allocate(new TensorShape(1, n));
        backend.Linear(backend.Tensor(x, rows, k), packed, y);
        float[] batch = backend.Values(y);
        for (int r = 0; r < rows; r++)
        {
            backend.Linear(backend.Tensor(x[(r * k)..((r + 1) * k)], 1, k), packed, one);
            ShouldBeBitIdentical(backend.Values(one), batch[(r * n)..((r + 1) * n)], $"row {r}");
        }
    }

    [Theory]
    [InlineData(16, 2048, 512)]    // the Mimi decoder's feed-forward: 32 panels, tiles of 5, 5 and 6 rows
    [InlineData(23, 600, 20)]      // tiles of 5, 6, 6 and 6 rows; a whole panel and a partial one
    [InlineData(7, 130, 13)]       // tiles of 3 (computed as 4) and 4 rows; a single partial panel
    public void Rows_of_a_blocked_batch_equal_each_row_alone_bit_for_bit(int rows, int k, int n)
    {
        using var backend = Create();
        float[] x = Random(9, rows * k), w = Random(10, n * k);
        IPackedLinear packed = backend.PackLinear(new LinearWeights { OutFeatures = n, InFeatures = k, Weight = w, Bias = Random(11, n) });
        ITensor y = backend.Allocate(new TensorShape(rows, n)), one = backend.Allocate(new TensorShape(1, n));
        backend.Linear(backend.Tensor(x, rows, k), packed, y);
        float[] batch = backend.Values(y);
        (double[] expected, double[] magnitude) = DoubleReference.Linear(x, rows, w, n, Random(11, n));
        ShouldBeClose(batch, expected, magnitude, 1e-6);
        for (int r = 0; r < rows; r++)
        {
            backend.Linear(backend.Tensor(x[(r * k)..((r + 1) * k)], 1, k), packed, one);
            ShouldBeBitIdentical(backend.Values(one), batch[(r * n)..((r + 1) * n)], $"row {r}");
        }
    }

    [Theory]
    [InlineData(1, 1024, 37)]      // the row kernel: pairs of panels, a partial last panel
    [InlineData(1, 40, 48)]        // an odd last panel
    [InlineData(13, 100, 33)]      // tiles of 4, 4 and 5 rows, a partial panel
    [InlineData(18, 100, 16)]      // three tiles of 6 rows, one panel
    public void The_128_bit_and_scalar_bodies_equal_the_256_bit_one_bit_for_bit(int rows, int k, int n)
    {
        float[] x = Random(12, rows * k);
        var packed = PackedLinear.Create(new LinearWeights { OutFeatures = n, InFeatures = k, Weight = Random(13, n * k), Bias = Random(14, n) });
        using var pool = new WorkerPool(1);
        float[] Run<TLanes, TVector>()
            where TLanes : struct, ILanes<TVector>
            where TVector : struct
        {
            var y = new float[rows * n];
            Gemm.Run<TLanes, TVector>(x, rows, packed, y, pool);
            return y;
        }
        float[] scalar = Run<Lanes32, float>();
        ShouldBeBitIdentical(Run<Lanes128, Vector128<float>>(), scalar, "128-bit");
        // Emulated 256-bit vectors (ARM64) multiply and add apart where the scalar path fuses.
        if (Vector256.IsHardwareAccelerated)
            ShouldBeBitIdentical(Run<Lanes256, Vector256<float>>(), scalar, "256-bit");
    }

    [Theory]
    [InlineData(1, 1024, 3072)]
    [InlineData(37, 300, 130)]
    public void Results_do_not_depend_on_the_thread_count(int rows, int k, int n)
    {
        float[] x = Random(7, rows * k), w = Random(8, n * k);
        var weights = new LinearWeights { OutFeatures = n, InFeatures = k, Weight = w };
        float[] Run(int threads)
        {
            using var backend = Create(threads);
            ITensor y = backend.Allocate(new TensorShape(rows, n));
            backend.Linear(backend.Tensor(x, rows, k), backend.PackLinear(weights), y);
            return backend.Values(y);
        }
        float[] single = Run(1);
        ShouldBeBitIdentical(Run(2), single, "2 threads");
        ShouldBeBitIdentical(Run(3), single, "3 threads");
    }

    [Fact]
    public void Linear_names_the_tensor_and_both_shapes()
    {
        using var backend = Create();
        IPackedLinear packed = backend.PackLinear(new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = new float[12] });
        ITensor x = backend.Allocate(new TensorShape(2, 3));
        Should.Throw<ArgumentException>(() => backend.Linear(x, packed, backend.Allocate(new TensorShape(2, 5))))
            .Message.ShouldBe("Linear: y has shape [2, 5], expected [2, 4]. (Parameter 'y')");
        Should.Throw<ArgumentException>(() => backend.Linear(backend.Allocate(new TensorShape(2, 4)), packed, backend.Allocate(new TensorShape(2, 4))))
            .Message.ShouldBe("Linear: x has shape [2, 4], expected [rows, InFeatures=3]. (Parameter 'x')");
        Should.Throw<ArgumentException>(() => backend.Linear(x, packed, x))
            .Message.ShouldStartWith("Linear: y has shape [2, 3], expected [2, 4]");
        Should.Throw<ArgumentException>(() => backend.PackLinear(new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = new float[11] }))
            .Message.ShouldContain("Weight has 11 values, expected 4×3");
    }
}
