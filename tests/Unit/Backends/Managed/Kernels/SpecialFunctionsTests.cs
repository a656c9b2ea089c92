using System.Runtime.Intrinsics;
using PocketTts.Backends.Managed.Kernels;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class SpecialFunctionsTests
{
    [Fact]
    public void Exp_is_within_a_unit_and_a_half_in_the_last_place()
    {
        double worst = 0;
        for (float x = -87.3f; x < 88.7f; x += 0.000731f)
        {
            float scalar = SpecialFunctions.Exp(x);
            SpecialFunctions.Exp<Lanes256, Vector256<float>>(Vector256.Create(x)).GetElement(2).ShouldBe(scalar);
            SpecialFunctions.Exp<Lanes128, Vector128<float>>(Vector128.Create(x)).GetElement(1).ShouldBe(scalar);
            worst = Math.Max(worst, Math.Abs(scalar - Math.Exp(x)) / Math.Exp(x));
        }
        worst.ShouldBeLessThan(1.5 * Math.Pow(2, -23));
    }

    [Fact]
    public void Exp_limits()
    {
        float[] x = [-1000f, -87.4f, 0f, 88.8f, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        float[] expected = [0f, 0f, 1f, float.PositiveInfinity, float.PositiveInfinity, 0f, float.NaN];
        for (int i = 0; i < x.Length; i++)
        {
            SpecialFunctions.Exp(x[i]).ShouldBe(expected[i], $"scalar exp({x[i]})");
            SpecialFunctions.Exp<Lanes256, Vector256<float>>(Vector256.Create(x[i])).GetElement(0).ShouldBe(expected[i], $"vector exp({x[i]})");
        }
        // 2¹²⁸ does not fit the exponent bits, yet exp(88.72) is a finite float.
        SpecialFunctions.Exp(88.72f).ShouldBe(MathF.Exp(88.72f), 3e-7f * MathF.Exp(88.72f));
        SpecialFunctions.Exp<Lanes256, Vector256<float>>(Vector256.Create(88.72f)).GetElement(0).ShouldBe(SpecialFunctions.Exp(88.72f));
    }

    [Fact]
    public void Erfc_is_relatively_accurate_while_it_is_a_normal_float()
    {
        double worstRelative = 0, worstAbsolute = 0;
        // erfc(9.2) is about 1e-38, where float becomes subnormal and loses relative precision.
        for (int i = 0; i <= 92_000; i++)
        {
            float z = i * 1e-4f;
            double exact = DoubleReference.Erfc(z);
            float scalar = SpecialFunctions.Erfc(z);
            SpecialFunctions.Erfc<Lanes256, Vector256<float>>(Vector256.Create(z)).GetElement(3).ShouldBe(scalar);
            SpecialFunctions.Erfc<Lanes128, Vector128<float>>(Vector128.Create(z)).GetElement(1).ShouldBe(scalar);
            worstRelative = Math.Max(worstRelative, Math.Abs(scalar - exact) / exact);
            worstAbsolute = Math.Max(worstAbsolute, Math.Abs(scalar - exact));
        }
        worstRelative.ShouldBeLessThan(3.5e-7);
        // erf = 1 − erfc is then accurate to about 1e-7 absolutely (1.2e-7 without FMA hardware).
        worstAbsolute.ShouldBeLessThan(1.2e-7);
    }

    [Fact]
    public void Erfc_reference_agrees_with_known_values()
    {
        // Published values of erfc(0.5), erfc(1), erfc(3) and erfc(6).
        DoubleReference.Erfc(0.5).ShouldBe(0.4795001221869535, 1e-15);
        DoubleReference.Erfc(1).ShouldBe(0.15729920705028513, 1e-15);
        DoubleReference.Erfc(3).ShouldBe(2.209049699858544e-05, 1e-18);
        DoubleReference.Erfc(6).ShouldBe(2.1519736712498913e-17, 1e-29);
    }

    [Fact]
    public void ExpM1_is_relatively_accurate_for_negative_arguments()
    {
        double worst = 0;
        for (int i = 1; i <= 200_000; i++)
        {
            float x = -i * 1e-4f;
            double exact = DoubleReference.Elu(x);
            float scalar = SpecialFunctions.ExpM1(x);
            SpecialFunctions.ExpM1<Lanes256, Vector256<float>>(Vector256.Create(x)).GetElement(5).ShouldBe(scalar);
            SpecialFunctions.ExpM1<Lanes128, Vector128<float>>(Vector128.Create(x)).GetElement(1).ShouldBe(scalar);
            worst = Math.Max(worst, Math.Abs(scalar - exact) / Math.Abs(exact));
        }
        worst.ShouldBeLessThan(2e-7);
    }
}
