using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Managed.Kernels;

public sealed class NormsTests
{
    public static TheoryData<int> Features()
    {
        var data = new TheoryData<int> { 512, 1024 };
        for (int n = 2; n <= 3 * 8 + 1; n++)
            data.Add(n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void LayerNorm_matches_float64(int features)
    {
        using var backend = Create();
        const int rows = 3;
        float[] x = Random(features, rows * features, 2f).Select(v => v + 0.5f).ToArray();
        float[] w = Random(features + 1, features), b = Random(features + 2, features);
        ITensor xt = backend.Tensor(x, rows, features), y = backend.Allocate(xt.Shape);
        backend.LayerNorm(xt, backend.Tensor(w, features), backend.Tensor(b, features), 1e-5f, y);
        (double[] expected, double[] magnitude) = DoubleReference.Norm(x, features, w, b, 1e-5, unbiased: false, centre: true);
        ShouldBeClose(backend.Values(y), expected, magnitude, 1e-6);

        backend.LayerNorm(xt, null, null, 1e-5f, xt);
        (expected, magnitude) = DoubleReference.Norm(x, features, null, null, 1e-5, unbiased: false, centre: true);
        ShouldBeClose(backend.Values(xt), expected, magnitude, 1e-6, "in place, no affine");
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void VarianceNorm_uses_the_unbiased_variance_and_does_not_centre(int features)
    {
        using var backend = Create();
        const int rows = 2;
        float[] x = Random(features, rows * features, 3f).Select(v => v + 1f).ToArray();
        float[] alpha = Random(features + 5, features);
        ITensor xt = backend.Tensor(x, rows, features);
        backend.VarianceNorm(xt, backend.Tensor(alpha, features), 1e-5f, xt);
        (double[] expected, double[] magnitude) = DoubleReference.Norm(x, features, alpha, null, 1e-5, unbiased: true, centre: false);
        ShouldBeClose(backend.Values(xt), expected, magnitude, 1e-6);
    }

    [Fact]
    public void LayerNorm_needs_weight_and_bias_together()
    {
        using var backend = Create();
        ITensor x = backend.Allocate(new TensorShape(2, 4));
        Should.Throw<ArgumentException>(() => backend.LayerNorm(x, backend.Allocate(new TensorShape(4)), null, 1e-5f, x))
            .Message.ShouldContain("weight and bias must both be given");
        Should.Throw<ArgumentException>(() => backend.LayerNorm(x, backend.Allocate(new TensorShape(5)), backend.Allocate(new TensorShape(4)), 1e-5f, x))
            .Message.ShouldBe("LayerNorm: weight has shape [5], expected [4]. (Parameter 'weight')");
    }
}
