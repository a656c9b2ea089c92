using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>Norms, activations, element-wise arithmetic, NaN replacement and time features; each also in place.</summary>
internal static partial class Catalog
{
    private static IEnumerable<ConformanceCase> ElementWise()
    {
        foreach (int features in new[] { 1, 2, 33, 1024 })
        {
            foreach (bool affine in features == 1 ? [false] : new[] { true, false })
            {
                yield return Case("LayerNorm", $"features {features}{(affine ? " affine" : "")}", c =>
                {
                    const int rows = 3;
                    float[] x = Random(features, rows * features, 2f, offset: 0.5f);
                    float[]? w = affine ? Random(features + 1, features) : null, b = affine ? Random(features + 2, features) : null;
                    ITensor? wt = w is null ? null : c.Tensor(w, features), bt = b is null ? null : c.Tensor(b, features);
                    (double[] expected, double[] magnitude) = DoubleReference.Norm(x, features, w, b, 1e-5, unbiased: false, centre: true);
                    ITensor xt = c.Tensor(x, rows, features), y = c.Allocate(rows, features);
                    c.Backend.LayerNorm(xt, wt, bt, 1e-5f, y);
                    c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
                    c.Backend.LayerNorm(xt, wt, bt, 1e-5f, xt);
                    c.Close(c.Values(xt), expected, magnitude, c.Options.SumTolerance, "in place");
                    return c.Outcome();
                });
            }
        }

        foreach (int features in new[] { 2, 17, 512 })
        {
            yield return Case("VarianceNorm", $"features {features}", c =>
            {
                const int rows = 2;
                float[] x = Random(features * 3, rows * features, 3f, offset: 1f), alpha = Random(features + 5, features);
                (double[] expected, double[] magnitude) = DoubleReference.Norm(x, features, alpha, null, 1e-5, unbiased: true, centre: false);
                ITensor xt = c.Tensor(x, rows, features), at = c.Tensor(alpha, features), y = c.Allocate(rows, features);
                c.Backend.VarianceNorm(xt, at, 1e-5f, y);
                c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
                c.Backend.VarianceNorm(xt, at, 1e-5f, xt);
                c.Close(c.Values(xt), expected, magnitude, c.Options.SumTolerance, "in place");
                return c.Outcome();
            });
        }

        (UnaryOp Op, Func<double, double> F, Func<double, double> Condition)[] activations =
        [
            (UnaryOp.Elu, DoubleReference.Elu, _ => 1),
            (UnaryOp.Gelu, DoubleReference.Gelu, _ => 1),
            (UnaryOp.Silu, DoubleReference.Silu, _ => 1),
            (UnaryOp.GeluTanh, DoubleReference.GeluTanh, x => Math.Max(1, 2 * Math.Abs(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        ];
        foreach ((UnaryOp op, Func<double, double> f, Func<double, double> condition) in activations)
        {
            yield return Case("Unary", op.ToString(), c =>
            {
                // A grid over [−8, 8] with the values around zero and both tails, 3 rows of an odd width.
                float[] x = [.. Enumerable.Range(0, 3 * 67).Select(i => (float)(-8 + 16.0 * i / (3 * 67 - 1)))];
                double[] expected = Array.ConvertAll(x, v => f(v));
                // Evaluating in float32 as PyTorch does errs by a few ulps of x itself where f(x) is tiny (the negative tails).
                double[] magnitude = [.. x.Select((v, i) => Math.Abs(expected[i]) * condition(v) + 0.01 * Math.Abs(v))];
                ITensor xt = c.Tensor(x, 3, 67), y = c.Allocate(3, 67);
                c.Backend.Unary(op, xt, y);
                c.Close(c.Values(y), expected, magnitude, c.Options.FunctionTolerance, "y");
                c.Backend.Unary(op, xt, xt);
                c.Close(c.Values(xt), expected, magnitude, c.Options.FunctionTolerance, "in place");
                return c.Outcome();
            });
        }

        foreach (BinaryOp op in new[] { BinaryOp.Add, BinaryOp.Multiply })
        {
            foreach (bool broadcast in new[] { false, true })
            {
                yield return Case("Binary", $"{op}{(broadcast ? " per-feature b" : "")}", c =>
                {
                    const int rows = 5, features = 19;
                    float[] a = Random(11, rows * features, 2f), b = Random(12, broadcast ? features : rows * features, 2f);
                    double[] expected = new double[a.Length], magnitude = new double[a.Length];
                    for (int i = 0; i < a.Length; i++)
                    {
                        double bi = b[broadcast ? i % features : i];
                        expected[i] = op == BinaryOp.Add ? a[i] + bi : a[i] * bi;
                        magnitude[i] = op == BinaryOp.Add ? Math.Abs(a[i]) + Math.Abs(bi) : Math.Abs(a[i] * bi);
                    }
                    ITensor at = c.Tensor(a, rows, features), bt = broadcast ? c.Tensor(b, features) : c.Tensor(b, rows, features), y = c.Allocate(rows, features);
                    c.Backend.Binary(op, at, bt, y);
                    c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
                    c.Backend.Binary(op, at, bt, at);
                    c.Close(c.Values(at), expected, magnitude, c.Options.SumTolerance, "in place");
                    return c.Outcome();
                });
            }
        }

        yield return Case("ScaleShift", "", c =>
        {
            float[] x = Random(13, 4 * 9, 5f);
            double[] expected = [.. x.Select(v => v * (double)0.37f - 1.5)], magnitude = [.. x.Select(v => Math.Abs(v * 0.37) + 1.5)];
            ITensor xt = c.Tensor(x, 4, 9), y = c.Allocate(4, 9);
            c.Backend.ScaleShift(xt, 0.37f, -1.5f, y);
            c.Close(c.Values(y), expected, magnitude, c.Options.SumTolerance, "y");
            c.Backend.ScaleShift(xt, 0.37f, -1.5f, xt);
            c.Close(c.Values(xt), expected, magnitude, c.Options.SumTolerance, "in place");
            return c.Outcome();
        });

        yield return Case("ReplaceNaN", "", c =>
        {
            float[] x = [1f, float.NaN, 3f, float.NaN, float.NaN, -0f, float.PositiveInfinity, 8f, float.NaN], fill = [7f, 8f, 9f];
            float[] expected = [.. x.Select((v, i) => float.IsNaN(v) ? fill[i % 3] : v)];
            ITensor xt = c.Tensor(x, 3, 3), ft = c.Tensor(fill, 3), y = c.Allocate(3, 3);
            c.Backend.ReplaceNaN(xt, ft, y);
            c.Exact(c.Values(y), expected, "y");
            c.Backend.ReplaceNaN(xt, ft, xt);
            c.Exact(c.Values(xt), expected, "in place");
            return c.Outcome();
        });

        yield return Case("TimestepEmbedding", "", c =>
        {
            // The flow net's use: times in [0, 1], frequencies from 1 down to 1/10000 (float32 products, as PyTorch).
            float[] t = [0f, 0.25f, 1f, 0.6180339f];
            float[] f = [.. Enumerable.Range(0, 8).Select(i => MathF.Exp(-MathF.Log(10_000f) * i / 8))];
            var expected = new double[t.Length * 16];
            for (int r = 0; r < t.Length; r++)
            {
                for (int i = 0; i < 8; i++)
                {
                    float angle = t[r] * f[i];
                    expected[r * 16 + i] = Math.Cos(angle);
                    expected[r * 16 + 8 + i] = Math.Sin(angle);
                }
            }
            ITensor y = c.Allocate(t.Length, 16);
            c.Backend.TimestepEmbedding(c.Tensor(t, t.Length, 1), c.Tensor(f, 8), y);
            c.Close(c.Values(y), expected, Array.ConvertAll(expected, _ => 1.0), c.Options.FunctionTolerance, "y");
            return c.Outcome();
        });
    }
}
