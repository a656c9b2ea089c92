using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>Allocation, host copies, fills, slices, transposes, gathers and cache copies: all exact.</summary>
internal static partial class Catalog
{
    private static IEnumerable<ConformanceCase> Memory()
    {
        yield return Case("Allocate", "is zero-filled", c =>
        {
            ITensor t = c.Allocate(3, 5);
            if (t.Shape != new TensorShape(3, 5))
                throw new ConformanceFailure($"shape is {t.Shape}, expected [3, 5]");
            c.Exact(c.Values(t), new float[15], "values");
            return c.Outcome();
        });

        // Signed zero, infinities, a subnormal and the extremes must survive a round trip through the backend.
        float[] special = [0f, -0f, 1f, -2.5f, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, float.MaxValue, float.Epsilon, 3.25e7f];
        yield return Case("Constant", "Read round trip keeps every bit", c =>
        {
            c.Exact(c.Values(c.Tensor(special, 2, 5)), special, "Read(Constant)");
            return c.Outcome();
        });
        yield return Case("Write", "replaces every value", c =>
        {
            ITensor t = c.Tensor(Random(1, 10), 5, 2);
            c.Backend.Write(special, t);
            c.Exact(c.Values(t), special, "Read after Write");
            return c.Outcome();
        });
        yield return Case("Fill", "sets every value", c =>
        {
            ITensor t = c.Tensor(Random(2, 21), 3, 7);
            c.Backend.Fill(t, -0.375f);
            c.Exact(c.Values(t), Enumerable.Repeat(-0.375f, 21).ToArray(), "values");
            return c.Outcome();
        });

        yield return Case("CopySlice", "axis 0", c =>
        {
            float[] source = Random(3, 5 * 6);
            ITensor destination = c.Tensor(Random(4, 7 * 6), 7, 6);
            float[] expected = c.Values(destination);
            Array.Copy(source, 1 * 6, expected, 4 * 6, 3 * 6);
            c.Backend.CopySlice(c.Tensor(source, 5, 6), 0, 1, destination, 4, 3);
            c.Exact(c.Values(destination), expected, "destination");
            return c.Outcome();
        });
        yield return Case("CopySlice", "last axis", c =>
        {
            float[] source = Random(5, 4 * 9);
            ITensor destination = c.Tensor(Random(6, 4 * 5), 4, 5);
            float[] expected = c.Values(destination);
            for (int r = 0; r < 4; r++)
                Array.Copy(source, r * 9 + 6, expected, r * 5 + 1, 3);
            c.Backend.CopySlice(c.Tensor(source, 4, 9), 1, 6, destination, 1, 3);
            c.Exact(c.Values(destination), expected, "destination");
            return c.Outcome();
        });

        foreach ((int a, int b) in new[] { (1, 1), (3, 17), (40, 33) })
        {
            yield return Case("Transpose", $"[{a}, {b}]", c =>
            {
                float[] x = Random(a * b, a * b);
                ITensor y = c.Allocate(b, a);
                c.Backend.Transpose(c.Tensor(x, a, b), y);
                var expected = new float[x.Length];
                for (int i = 0; i < a; i++)
                {
                    for (int j = 0; j < b; j++)
                        expected[j * a + i] = x[i * b + j];
                }
                c.Exact(c.Values(y), expected, "y");
                return c.Outcome();
            });
        }

        yield return Case("Embedding", "gathers rows, repeats included", c =>
        {
            float[] table = Random(7, 6 * 4);
            int[] ids = [5, 0, 5, 2, 3];
            ITensor y = c.Allocate(ids.Length, 4);
            c.Backend.Embedding(c.Tensor(table, 6, 4), ids, y);
            float[] expected = [.. ids.SelectMany(id => table.AsSpan(id * 4, 4).ToArray())];
            c.Exact(c.Values(y), expected, "y");
            return c.Outcome();
        });

        yield return Case("WriteKvCache", "ReadKvCache round trip", c =>
        {
            const int heads = 3, headDim = 4, length = 5;
            IKvCache cache = c.Own(c.Backend.CreateKvCache(heads, headDim, capacity: 8, window: null));
            if (cache.Heads != heads || cache.HeadDim != headDim || cache.Capacity != 8 || cache.Window is not null)
                throw new ConformanceFailure($"cache reports {cache.Heads} heads × {cache.HeadDim}, capacity {cache.Capacity}, window {cache.Window}; expected 3 × 4, 8, none");
            float[] keys = Random(8, length * heads * headDim), values = Random(9, length * heads * headDim);
            c.Backend.WriteKvCache(cache, length, keys, values);
            float[] readKeys = new float[keys.Length], readValues = new float[values.Length];
            c.Backend.ReadKvCache(cache, length, readKeys, readValues);
            c.Exact(readKeys, keys, "keys");
            c.Exact(readValues, values, "values");
            return c.Outcome();
        });
    }
}
