using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PocketTts.Backends.Managed;
using PocketTts.Backends.Managed.Kernels;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class QuantizedGemmTests
{
    public static TheoryData<int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool>();
        // Input widths around the 16-input block of the int8 panels, partial panels of 1 to 7 outputs, and every
        // micro-kernel's remainders.
        for (int k = 1; k <= 3 * 16 + 1; k += 2)
            data.Add(k % 6 + 1, k, k % 11 + 1, k % 3 == 0);
        data.Add(1, 1024, 37, true);
        data.Add(9, 4096, 10, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Int8_linear_equals_a_scalar_int8_reference_exactly(int rows, int k, int n, bool withBias)
    {
        using var backend = Create();
        float[] x = Random(1, rows * k, 3f);
        (sbyte[] q, float[] scales) = Quantized(Random(2, n * k), n, k);
        float[]? bias = withBias ? Random(3, n) : null;
        IPackedLinear packed = backend.PackLinear(new LinearWeights { OutFeatures = n, InFeatures = k, QuantizedWeight = q, Scales = scales, Bias = bias });
        packed.IsQuantized.ShouldBeTrue();
        ITensor y = backend.Allocate(new TensorShape(rows, n));
        backend.Linear(backend.Tensor(x, rows, k), packed, y);

        ShouldBeBitIdentical(backend.Values(y), Reference(x, rows, k, q, scales, bias, n));
    }

    /// <summary>The documented arithmetic: per-row scale max|x|/127, round half to even, exact integer sums, one fused multiply-add.</summary>
    private static float[] Reference(float[] x, int rows, int k, sbyte[] q, float[] scales, float[]? bias, int n)
    {
        var expected = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            float max = 0f;
            for (int i = 0; i < k; i++)
                max = Math.Max(max, Math.Abs(x[r * k + i]));
            float inverse = max > 0 ? 127f / max : 0f, xScale = max / 127f;
            for (int o = 0; o < n; o++)
            {
                int sum = 0;
                for (int i = 0; i < k; i++)
                    sum += (int)MathF.Round(x[r * k + i] * inverse) * q[o * k + i];
                expected[r * n + o] = Simd.MultiplyAdd(sum, xScale * scales[o], bias?[o] ?? 0f);
            }
        }
        return expected;
    }

    [Fact]
    public void Int8_linear_is_close_to_the_float_layer()
    {
        using var backend = Create();
        const int rows = 5, k = 1024, n = 256;
        float[] x = Random(4, rows * k), w = Random(5, n * k, 0.05f);
        (sbyte[] q, float[] scales) = Quantized(w, n, k);
        ITensor xt = backend.Tensor(x, rows, k), yq = backend.Allocate(new TensorShape(rows, n)), yf = backend.Allocate(new TensorShape(rows, n));
        backend.Linear(xt, backend.PackLinear(new LinearWeights { OutFeatures = n, InFeatures = k, QuantizedWeight = q, Scales = scales }), yq);
        backend.Linear(xt, backend.PackLinear(new LinearWeights { OutFeatures = n, InFeatures = k, Weight = w }), yf);
        float[] a = backend.Values(yq), b = backend.Values(yf);
        double signal = b.Sum(v => (double)v * v), noise = a.Zip(b, (u, v) => (double)(u - v) * (u - v)).Sum();
        (10 * Math.Log10(signal / noise)).ShouldBeGreaterThan(35);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        const int rows = 6, k = 777, n = 200;
        float[] x = Random(6, rows * k);
        (sbyte[] q, float[] scales) = Quantized(Random(7, n * k), n, k);
        var weights = new LinearWeights { OutFeatures = n, InFeatures = k, QuantizedWeight = q, Scales = scales };
        float[] Run(int threads)
        {
            using var backend = Create(threads);
            ITensor y = backend.Allocate(new TensorShape(rows, n));
            backend.Linear(backend.Tensor(x, rows, k), backend.PackLinear(weights), y);
            return backend.Values(y);
        }
        ShouldBeBitIdentical(Run(2), Run(1));
    }

    [Theory]
    [InlineData(1, 1000, 29)]    // the single row: three whole panels of 8 outputs and one of 5, the last block padded by 8 inputs
    [InlineData(7, 77, 13)]      // blocks of 4 rows × 2 outputs, three rows left over, a panel of 5 (an odd output), a block padded by 3
    [InlineData(5, 15, 3)]       // shorter than one block: the padded block only
    public void The_128_bit_body_equals_the_256_bit_one_and_the_int8_reference_exactly(int rows, int k, int n)
    {
        float[] x = Random(8, rows * k, 3f);
        (sbyte[] q, float[] scales) = Quantized(Random(9, n * k), n, k);
        var packed = PackedLinear.Create(new LinearWeights { OutFeatures = n, InFeatures = k, QuantizedWeight = q, Scales = scales, Bias = Random(10, n) });
        using var pool = new WorkerPool(1);
        float[] Run<TLanes, TShorts, TInts>()
            where TLanes : struct, IInt8Lanes<TShorts, TInts>
            where TShorts : struct
            where TInts : struct
        {
            var y = new float[rows * n];
            QuantizedGemm.Run<TLanes, TShorts, TInts>(x, rows, packed, y, pool);
            return y;
        }
        float[] narrow = Run<Int8Lanes128, Int8Lanes128.Shorts, Vector128<int>>();
        ShouldBeBitIdentical(narrow, Reference(x, rows, k, q, scales, packed.Bias, n), "128-bit");
        if (Avx2.IsSupported)
            ShouldBeBitIdentical(Run<Int8Lanes256, Vector256<short>, Vector256<int>>(), narrow, "256-bit");
    }

    [Fact]
    public void Extreme_weights_and_activations_sum_exactly_at_every_width()
    {
        // Weights at both ends of int8 (-128, which the quantizer never writes but a file may hold, and 127) against
        // activations that quantize to ±127, in runs of equal signs so that every pairwise sum and every lane is at
        // its largest magnitude; K past 4096 and not a multiple of the block, so the sums reach ±66 million.
        const int rows = 5, k = 4099, n = 11;
        var x = new float[rows * k];
        for (int i = 0; i < x.Length; i++)
            x[i] = (i / 3 % 2 == 0 ? 1f : -1f) * (i % k == 0 ? 127f : 127f - 1e-5f);
        var q = new sbyte[n * k];
        for (int i = 0; i < q.Length; i++)
            q[i] = (sbyte)(i / 3 % 2 == 0 ? -128 : 127);
        var scales = new float[n];
        Array.Fill(scales, 1f);
        var packed = PackedLinear.Create(new LinearWeights { OutFeatures = n, InFeatures = k, QuantizedWeight = q, Scales = scales });
        float[] expected = Reference(x, rows, k, q, scales, null, n);
        using var pool = new WorkerPool(1);

        var y = new float[rows * n];
        QuantizedGemm.Run<Int8Lanes128, Int8Lanes128.Shorts, Vector128<int>>(x, rows, packed, y, pool);
        ShouldBeBitIdentical(y, expected, "128-bit");
        if (Avx2.IsSupported)
        {
            QuantizedGemm.Run<Int8Lanes256, Vector256<short>, Vector256<int>>(x, rows, packed, y, pool);
            ShouldBeBitIdentical(y, expected, "256-bit");
        }
        // Row 0 against output 0 takes the same signs: every product is -127·128 or -127·127, scale 1 (max |x| = 127).
        MathF.Abs(expected[0]).ShouldBeGreaterThan(60e6f);
    }

    [Fact]
    public void Int8_weights_are_packed_in_panels_of_8_outputs_and_blocks_of_16_inputs()
    {
        const int k = 37, n = 11;
        sbyte[] q = Array.ConvertAll(Random(11, n * k, 127f), v => (sbyte)v);
        var packed = PackedLinear.Create(new LinearWeights { OutFeatures = n, InFeatures = k, QuantizedWeight = q, Scales = new float[n] });

        packed.QuantizedRowLength.ShouldBe(48);
        packed.QuantizedPanelCount.ShouldBe(2);
        var expected = new sbyte[2 * 8 * 48];
        for (int o = 0; o < n; o++)
        {
            for (int i = 0; i < k; i++)
                expected[(o / 8 * 8 * 48) + (i / 16 * 128) + (o % 8 * 16) + (i % 16)] = q[o * k + i];
        }
        packed.QuantizedPanels.ShouldBe(expected);
    }

    [Fact]
    public void Activations_quantize_half_to_even_at_every_width()
    {
        // max |x| = 127, so x·127/max is x itself and the halves are ties; 17 values: one 16-value step and a tail.
        float[] x = [127f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.49f, -127f, 126.5f, 0f, -0f, 7.5f, 8.5f, -9.5f, 10.5f, 0.5f];
        short[] expected = [127, 0, 2, 2, 0, -2, -2, 3, -127, 126, 0, 0, 8, 8, -10, 10, 0];
        var q = new short[x.Length];
        QuantizedGemm.Quantize<Int8Lanes128, Int8Lanes128.Shorts, Vector128<int>>(x, q).ShouldBe(1f);
        q.ShouldBe(expected, "128-bit");
        if (Avx2.IsSupported)
        {
            Array.Clear(q);
            QuantizedGemm.Quantize<Int8Lanes256, Vector256<short>, Vector256<int>>(x, q).ShouldBe(1f);
            q.ShouldBe(expected, "256-bit");
        }
    }

    [Fact]
    public void The_portable_pairwise_multiply_add_sums_the_products_exactly()
    {
        // The extremes of int8 weights against the extremes of the int16 activations the kernel sees (±127).
        Vector128<short> a = Vector128.Create((short)-128, 127, -1, 0, 127, -128, 5, -7);
        Vector128<short> b = Vector128.Create((short)-127, 127, 127, -127, -127, -127, 3, 11);
        int expected = 0;
        for (int i = 0; i < Vector128<short>.Count; i++)
            expected += a[i] * b[i];
        Vector128.Sum(Int8Lanes128.MultiplyAddWidened(a, b)).ShouldBe(expected);
        if (Sse2.IsSupported)
            Vector128.Sum(Sse2.MultiplyAddAdjacent(a, b)).ShouldBe(expected);
    }

    [Fact]
    public void A_zero_row_gives_the_bias()
    {
        using var backend = Create();
        IPackedLinear packed = backend.PackLinear(new LinearWeights
        {
            OutFeatures = 2,
            InFeatures = 20,
            QuantizedWeight = new sbyte[40],
            Scales = new float[] { 1f, 2f },
            Bias = new float[] { 0.5f, -1f },
        });
        ITensor y = backend.Allocate(new TensorShape(1, 2));
        backend.Linear(backend.Allocate(new TensorShape(1, 20)), packed, y);
        backend.Values(y).ShouldBe([0.5f, -1f]);
    }

    /// <summary>Symmetric per-row int8 quantisation of W [n, k].</summary>
    private static (sbyte[] Q, float[] Scales) Quantized(float[] w, int n, int k)
    {
        var q = new sbyte[w.Length];
        var scales = new float[n];
        for (int o = 0; o < n; o++)
        {
            float max = 0f;
            for (int i = 0; i < k; i++)
                max = Math.Max(max, Math.Abs(w[o * k + i]));
            scales[o] = max / 127f;
            for (int i = 0; i < k; i++)
                q[o * k + i] = (sbyte)MathF.Round(w[o * k + i] / scales[o]);
        }
        return (q, scales);
    }
}
