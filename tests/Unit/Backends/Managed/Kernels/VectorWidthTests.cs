using System.Runtime.Intrinsics;
using PocketTts.Backends.Managed.Kernels;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

/// <summary>
/// The element-wise kernels' 128-bit bodies (ARM64 NEON, WebAssembly SIMD, x64 without AVX2) and 256-bit bodies
/// against their scalar forms, whatever this machine would pick: every lane must equal the scalar value bit for bit,
/// so that an output does not depend on the width or on whether it fell in the body or the tail.
/// </summary>
public sealed class VectorWidthTests
{
    // Random values over the activations' working range, then every special case: both branches of ELU's expm1
    // (−0.5), erfc's series and tail (|x|/√2 = 0.5), exp's limits (−87.34, 88.72), signed zeros, infinities, NaN.
    private static readonly float[] Inputs =
    // The special cases come first, so that they fall in the vector bodies.
    [
        0f, -0f, 1e-30f, -1e-30f, -0.4999f, -0.5f, -0.5001f, 0.7071f, 0.7072f, -0.7072f, 13f, -13f, 30f, -30f,
        -87.3f, -87.4f, 88.7f, 88.8f, 200f, -200f, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
        .. Random(11, 997, 15f),
    ];

    [Fact]
    public void Activations_equal_their_scalar_form_at_every_width()
    {
        ShouldEqualScalar(new EluOperator(), "ELU");
        ShouldEqualScalar(new GeluOperator(), "GELU");
        ShouldEqualScalar(new GeluTanhOperator(), "tanh GELU");
        ShouldEqualScalar(new SiluOperator(), "SiLU");
        ShouldEqualScalar(new ScaleShiftOperator(0.37f, -1.5f), "scale-shift");
    }

    [Fact]
    public void Binary_operators_equal_their_scalar_form_at_every_width()
    {
        float[] b = Random(12, Inputs.Length, 3f);
        ShouldEqualScalar(new AddOperator(), b, "add");
        ShouldEqualScalar(new MultiplyOperator(), b, "multiply");
        ShouldEqualScalar(new ReplaceNaNOperator(), b, "replace NaN");
    }

    [Fact]
    public void Special_functions_equal_their_scalar_form_at_every_width()
    {
        foreach (float x in Inputs)
        {
            SpecialFunctions.Exp<Lanes128, Vector128<float>>(Vector128.Create(x)).GetElement(1).ShouldBe(SpecialFunctions.Exp(x), $"exp({x:R}), 128-bit");
            SpecialFunctions.Exp<Lanes256, Vector256<float>>(Vector256.Create(x)).GetElement(6).ShouldBe(SpecialFunctions.Exp(x), $"exp({x:R}), 256-bit");
            if (x <= 0f)
            {
                SpecialFunctions.ExpM1<Lanes128, Vector128<float>>(Vector128.Create(x)).GetElement(2).ShouldBe(SpecialFunctions.ExpM1(x), $"expm1({x:R}), 128-bit");
                SpecialFunctions.ExpM1<Lanes256, Vector256<float>>(Vector256.Create(x)).GetElement(7).ShouldBe(SpecialFunctions.ExpM1(x), $"expm1({x:R}), 256-bit");
            }
            if (x >= 0f && x <= 10f)
            {
                SpecialFunctions.Erfc<Lanes128, Vector128<float>>(Vector128.Create(x)).GetElement(3).ShouldBe(SpecialFunctions.Erfc(x), $"erfc({x:R}), 128-bit");
                SpecialFunctions.Erfc<Lanes256, Vector256<float>>(Vector256.Create(x)).GetElement(0).ShouldBe(SpecialFunctions.Erfc(x), $"erfc({x:R}), 256-bit");
            }
        }
    }

    [Fact]
    public void Rope_rotation_equals_the_scalar_form_at_every_width()
    {
        // 26 floats: three 8-lane vectors and a tail of one pair; six 4-lane vectors and the same tail.
        float[] x = Random(13, 26), cos = Random(14, 26), sin = Random(15, 26);
        float[] expected = new float[26];
        for (int i = 0; i < 26; i += 2)
        {
            expected[i] = x[i] * cos[i] + x[i + 1] * sin[i];
            expected[i + 1] = x[i + 1] * cos[i + 1] + x[i] * sin[i + 1];
        }
        float[] y128 = new float[26], y256 = new float[26];
        Rope.Rotate<Lanes128, Vector128<float>>(x, cos, sin, y128);
        Rope.Rotate<Lanes256, Vector256<float>>(x, cos, sin, y256);
        ShouldBeBitIdentical(y128, expected, "128-bit");
        ShouldBeBitIdentical(y256, expected, "256-bit");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1024)]
    public void Norm_sums_and_affine_part_at_every_width(int n)
    {
        float[] x = Random(n, n, 2f).Select(v => v + 0.5f).ToArray(), weight = Random(n + 1, n), bias = Random(n + 2, n);
        double sum = x.Sum(v => (double)v), magnitude = x.Sum(v => Math.Abs((double)v));
        float mean = (float)(sum / n);
        double squares = x.Sum(v => ((double)v - mean) * ((double)v - mean));
        foreach ((string width, float s, float d) in new[]
        {
            ("128-bit", Norms.Sum<Lanes128, Vector128<float>>(x), Norms.SquaredDeviations<Lanes128, Vector128<float>>(x, mean)),
            ("256-bit", Norms.Sum<Lanes256, Vector256<float>>(x), Norms.SquaredDeviations<Lanes256, Vector256<float>>(x, mean)),
        })
        {
            Math.Abs(s - sum).ShouldBeLessThan(1e-6 * magnitude + 1e-30, $"sum, {width}");
            Math.Abs(d - squares).ShouldBeLessThan(1e-6 * squares + 1e-30, $"squared deviations, {width}");
        }

        const float rstd = 0.81f;
        float[] expected = x.Select((v, i) => Simd.MultiplyAdd((v - mean) * rstd, weight[i], bias[i])).ToArray();
        float[] y128 = new float[n], y256 = new float[n];
        Norms.Normalize<Lanes128, Vector128<float>>(x, mean, rstd, weight, bias, y128);
        Norms.Normalize<Lanes256, Vector256<float>>(x, mean, rstd, weight, bias, y256);
        ShouldBeBitIdentical(y128, expected, "normalize, 128-bit");
        ShouldBeBitIdentical(y256, expected, "normalize, 256-bit");
    }

    private static void ShouldEqualScalar<TOp>(TOp op, string what)
        where TOp : struct, IUnaryOperator
    {
        float[] expected = Array.ConvertAll(Inputs, op.Invoke);
        float[] y128 = new float[Inputs.Length], y256 = new float[Inputs.Length];
        Elementwise.Map<TOp, Lanes128, Vector128<float>>(op, Inputs, y128);
        Elementwise.Map<TOp, Lanes256, Vector256<float>>(op, Inputs, y256);
        ShouldBeIdenticalOrBothNaN(y128, expected, $"{what}, 128-bit");
        ShouldBeIdenticalOrBothNaN(y256, expected, $"{what}, 256-bit");
    }

    private static void ShouldEqualScalar<TOp>(TOp op, float[] b, string what)
        where TOp : struct, IBinaryOperator
    {
        float[] expected = Inputs.Select((a, i) => op.Invoke(a, b[i])).ToArray();
        float[] y128 = new float[Inputs.Length], y256 = new float[Inputs.Length];
        Elementwise.ZipEqual<TOp, Lanes128, Vector128<float>>(op, Inputs, b, y128);
        Elementwise.ZipEqual<TOp, Lanes256, Vector256<float>>(op, Inputs, b, y256);
        ShouldBeIdenticalOrBothNaN(y128, expected, $"{what}, 128-bit");
        ShouldBeIdenticalOrBothNaN(y256, expected, $"{what}, 256-bit");
    }

    /// <summary>
    /// Bit for bit, except that a NaN may come with another sign or payload: which operand's NaN a product passes
    /// on depends on the order the JIT gives its operands, and no kernel reads a NaN's bits.
    /// </summary>
    private static void ShouldBeIdenticalOrBothNaN(float[] actual, float[] expected, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]))
                float.IsNaN(actual[i]).ShouldBeTrue($"{what} element {i}: {actual[i]:R} is not NaN.");
        }
        ShouldBeBitIdentical(
            Array.ConvertAll(actual, v => float.IsNaN(v) ? float.NaN : v), Array.ConvertAll(expected, v => float.IsNaN(v) ? float.NaN : v), what);
    }
}
