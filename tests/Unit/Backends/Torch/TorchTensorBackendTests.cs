using PocketTts.Backends.Managed;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Torch;

/// <summary>
/// The torch backend operation by operation against the managed backend (itself tested against double-precision
/// references), on shapes the model's parity fixtures do not reach: strided, dilated and grouped convolutions,
/// rings that wrap inside one call, int8 weights; plus the argument errors.
/// </summary>
[Collection(TorchPlugin.Collection)]
public sealed class TorchTensorBackendTests : IDisposable
{
    private readonly ITensorBackend _torch = TorchPlugin.Create();
    private readonly ManagedTensorBackend _managed = Create();

    public void Dispose()
    {
        _torch.Dispose();
        _managed.Dispose();
    }

    [Fact]
    public void Tensors_round_trip_and_slices_copy()
    {
        ITensor t = _torch.Allocate(new TensorShape(3, 4));
        _torch.Values(t).ShouldBe(new float[12]);
        float[] values = [.. Enumerable.Range(0, 12).Select(i => (float)i)];
        _torch.Write(values, t);
        _torch.Values(t).ShouldBe(values);
        _torch.Fill(t, 2.5f);
        _torch.Values(t).ShouldAllBe(v => v == 2.5f);

        ITensor source = _torch.Tensor(values, 3, 4), columns = _torch.Allocate(new TensorShape(3, 3));
        _torch.CopySlice(source, 1, 2, columns, 0, 2);
        _torch.Values(columns).ShouldBe([2f, 3, 0, 6, 7, 0, 10, 11, 0]);
        ITensor transposed = _torch.Allocate(new TensorShape(4, 3));
        _torch.Transpose(source, transposed);
        _torch.Values(transposed).ShouldBe([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear_matches_the_managed_backend(bool bias)
    {
        const int rows = 5, inFeatures = 37, outFeatures = 19;
        LinearWeights weights = Weights(outFeatures, inFeatures, quantized: false, bias);
        float[] x = Random(1, rows * inFeatures);

        float[] expected = Run(_managed, new(rows, outFeatures), (b, y) => b.Linear(b.Tensor(x, rows, inFeatures), b.PackLinear(weights), y));
        float[] actual = Run(_torch, new(rows, outFeatures), (b, y) => b.Linear(b.Tensor(x, rows, inFeatures), b.PackLinear(weights), y));

        Close(actual, expected, 1e-5f);
    }

    [Fact]
    public void Int8_weights_are_dequantized_per_output_channel()
    {
        // W = q · scale[o]: the int8 layer must compute exactly what the float layer with those values computes.
        LinearWeights int8 = Weights(3, 4, quantized: true, bias: false);
        sbyte[] q = int8.QuantizedWeight.ToArray();
        float[] scales = int8.Scales.ToArray();
        var dequantized = new LinearWeights
        {
            OutFeatures = 3,
            InFeatures = 4,
            Weight = Enumerable.Range(0, 12).Select(i => q[i] * scales[i / 4]).ToArray(),
        };
        float[] x = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];   // the identity: y = Wᵀ

        float[] fromInt8 = Run(_torch, new(4, 3), (b, y) => b.Linear(b.Tensor(x, 4, 4), b.PackLinear(int8), y));
        float[] fromFloat = Run(_torch, new(4, 3), (b, y) => b.Linear(b.Tensor(x, 4, 4), b.PackLinear(dequantized), y));

        fromInt8.ShouldBe(fromFloat);
        fromInt8[0].ShouldBe(q[0] * scales[0]);
        fromInt8[2].ShouldBe(q[8] * scales[2]);
        using IPackedLinear packed = _torch.PackLinear(int8);
        packed.IsQuantized.ShouldBeTrue();
    }

    [Fact]
    public void Int8_linear_layers_compute_with_float_activations()
    {
        // Unlike the managed backend, which also quantizes each activation row, the dequantized weights meet the
        // float32 activations, so the result is the float product of x and q·scale (here against double precision).
        const int rows = 5, inFeatures = 37, outFeatures = 19;
        LinearWeights int8 = Weights(outFeatures, inFeatures, quantized: true, bias: true);
        float[] x = Random(14, rows * inFeatures);
        sbyte[] q = int8.QuantizedWeight.ToArray();
        float[] scales = int8.Scales.ToArray(), bias = int8.Bias.ToArray();
        var expected = new float[rows * outFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < inFeatures; i++)
                    sum += (double)x[r * inFeatures + i] * (q[o * inFeatures + i] * scales[o]);
                expected[r * outFeatures + o] = (float)sum;
            }
        }

        float[] actual = Run(_torch, new(rows, outFeatures), (b, y) => b.Linear(b.Tensor(x, rows, inFeatures), b.PackLinear(int8), y));

        Close(actual, expected, 1e-5f);
    }

    [Theory]
    [InlineData(4, 6, 3, 1, 1, 1, 20)]
    [InlineData(6, 4, 4, 2, 1, 2, 21)]
    [InlineData(4, 4, 3, 1, 3, 4, 17)]
    [InlineData(3, 5, 7, 1, 1, 1, 4)]
    public void Conv1d_matches_the_managed_backend(int inChannels, int outChannels, int kernel, int stride, int dilation, int groups, int length)
    {
        var g = new ConvGeometry(inChannels, outChannels, kernel, stride, dilation, groups);
        float[] w = Random(2, outChannels * inChannels / groups * kernel), bias = Random(3, outChannels), x = Random(4, inChannels * length);
        int outLength = g.ConvOutputLength(length);

        float[] expected = Run(_managed, new(outChannels, outLength), (b, y) => b.Conv1d(b.Tensor(x, inChannels, length), b.PackConv1d(g, w, bias), y));
        float[] actual = Run(_torch, new(outChannels, outLength), (b, y) => b.Conv1d(b.Tensor(x, inChannels, length), b.PackConv1d(g, w, bias), y));

        Close(actual, expected, 1e-5f);
    }

    [Theory]
    [InlineData(4, 6, 4, 2, 1, 5)]
    [InlineData(6, 6, 32, 16, 6, 3)]
    [InlineData(3, 2, 3, 1, 1, 1)]
    public void ConvTranspose1d_matches_the_managed_backend(int inChannels, int outChannels, int kernel, int stride, int groups, int length)
    {
        var g = new ConvGeometry(inChannels, outChannels, kernel, stride, 1, groups);
        float[] w = Random(5, inChannels * outChannels / groups * kernel), x = Random(6, inChannels * length);
        int outLength = g.TransposedOutputLength(length);

        float[] expected = Run(_managed, new(outChannels, outLength), (b, y) => b.ConvTranspose1d(b.Tensor(x, inChannels, length), b.PackConvTranspose1d(g, w, default), y));
        float[] actual = Run(_torch, new(outChannels, outLength), (b, y) => b.ConvTranspose1d(b.Tensor(x, inChannels, length), b.PackConvTranspose1d(g, w, default), y));

        Close(actual, expected, 1e-5f);
    }

    [Fact]
    public void Norms_activations_and_elementwise_operations_match_the_managed_backend()
    {
        float[] x = Random(7, 4 * 10, 3f), w = Random(8, 10), bias = Random(9, 10), alpha = Random(10, 10);
        foreach (var (name, op) in ElementwiseOperations(w, bias, alpha))
        {
            float[] expected = Run(_managed, new(4, 10), (b, y) => { b.Write(x, y); op(b, y); });
            float[] actual = Run(_torch, new(4, 10), (b, y) => { b.Write(x, y); op(b, y); });
            Close(actual, expected, 2e-5f, name);
        }
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1000, 2)]
    public void Rope_matches_the_managed_backend(int position, int rows)
    {
        float[] x = Random(11, rows * 2 * 8);

        float[] expected = Run(_managed, new(rows, 16), (b, y) => b.Rope(b.Tensor(x, rows, 16), 2, position, 10_000f, y));
        float[] actual = Run(_torch, new(rows, 16), (b, y) => b.Rope(b.Tensor(x, rows, 16), 2, position, 10_000f, y));
        float[] inPlace = Run(_torch, new(rows, 16), (b, y) => { b.Write(x, y); b.Rope(y, 2, position, 10_000f, y); });

        Close(actual, expected, 1e-4f);
        inPlace.ShouldBe(actual);   // the second call reuses the frequencies the first one computed
    }

    [Theory]
    [InlineData(null, 16, new[] { 5, 1, 1, 3, 1 })]
    [InlineData(4, 7, new[] { 3, 1, 2, 1, 4, 1, 1, 2 })]   // rows that wrap the ring inside one call
    public void Attention_through_linear_and_ring_caches_matches_the_managed_backend(int? window, int capacity, int[] calls)
    {
        const int heads = 2, headDim = 4, width = heads * headDim;
        using IKvCache expectedCache = _managed.CreateKvCache(heads, headDim, capacity, window);
        using IKvCache actualCache = _torch.CreateKvCache(heads, headDim, capacity, window);
        int position = 0, seed = 20;
        foreach (int rows in calls)
        {
            float[] q = Random(seed++, rows * width), k = Random(seed++, rows * width), v = Random(seed++, rows * width);
            int at = position;
            float[] expected = Run(_managed, new(rows, width), (b, y) => b.Attention(b.Tensor(q, rows, width), b.Tensor(k, rows, width), b.Tensor(v, rows, width), expectedCache, at, y));
            float[] actual = Run(_torch, new(rows, width), (b, y) => b.Attention(b.Tensor(q, rows, width), b.Tensor(k, rows, width), b.Tensor(v, rows, width), actualCache, at, y));
            Close(actual, expected, 1e-5f, $"rows at {position}");
            position += rows;
        }
        if (window is null)
        {
            float[] keys = new float[position * width], values = new float[position * width];
            _torch.ReadKvCache(actualCache, position, keys, values);
            float[] expectedKeys = new float[keys.Length], expectedValues = new float[values.Length];
            _managed.ReadKvCache(expectedCache, position, expectedKeys, expectedValues);
            keys.ShouldBe(expectedKeys);
            values.ShouldBe(expectedValues);
        }
    }

    [Fact]
    public void A_linear_cache_written_from_host_values_is_read_back()
    {
        using IKvCache cache = _torch.CreateKvCache(2, 3, 4, null);
        float[] keys = Random(30, 3 * 6), values = Random(31, 3 * 6);
        _torch.WriteKvCache(cache, 3, keys, values);
        float[] k = new float[18], v = new float[18];
        _torch.ReadKvCache(cache, 3, k, v);
        k.ShouldBe(keys);
        v.ShouldBe(values);
    }

    [Fact]
    public void Embedding_nan_replacement_and_timestep_features_match_the_managed_backend()
    {
        float[] table = Random(40, 5 * 3), x = [1, float.NaN, 3, float.NaN, float.NaN, 6], fill = [7, 8, 9], t = [0.25f, 0.5f], f = [1, 2, 3];
        (string, Func<ITensorBackend, float[]>)[] cases =
        [
            ("embedding", b => Run(b, new(3, 3), (b, y) => b.Embedding(b.Tensor(table, 5, 3), [4, 0, 4], y))),
            ("replace NaN", b => Run(b, new(2, 3), (b, y) => b.ReplaceNaN(b.Tensor(x, 2, 3), b.Tensor(fill, 3), y))),
            ("timestep", b => Run(b, new(2, 6), (b, y) => b.TimestepEmbedding(b.Tensor(t, 2, 1), b.Tensor(f, 3), y))),
        ];
        foreach (var (name, run) in cases)
            Close(run(_torch), run(_managed), 1e-6f, name);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_a_message_that_names_them()
    {
        ITensor m = _torch.Allocate(new TensorShape(2, 3));
        using ITensor foreign = _managed.Allocate(new TensorShape(2, 3));
        using IPackedLinear linear = _torch.PackLinear(Weights(4, 3, quantized: false, bias: true));

        Should.Throw<ArgumentException>(() => _torch.Unary(UnaryOp.Gelu, foreign, m))
            .Message.ShouldStartWith("Unary: x is a ManagedTensor, not a tensor of the torch backend.");
        Should.Throw<ArgumentException>(() => _torch.Linear(m, linear, _torch.Allocate(new TensorShape(2, 5))))
            .Message.ShouldStartWith("Linear: y has shape [2, 5], expected [2, 4].");
        Should.Throw<ArgumentException>(() => _torch.Linear(m, _managed.PackLinear(Weights(4, 3, false, false)), m))
            .Message.ShouldStartWith("Linear: weights are a PackedLinear, not packed by the torch backend.");
        Should.Throw<ArgumentException>(() => _torch.PackLinear(new LinearWeights { OutFeatures = 2, InFeatures = 2, QuantizedWeight = new sbyte[4], Scales = new float[1] }))
            .Message.ShouldBe("Scales has 1 values, expected 2.");
        Should.Throw<ArgumentException>(() => _torch.PackConvTranspose1d(new ConvGeometry(2, 2, 3, Dilation: 2), new float[12], default))
            .Message.ShouldStartWith("PackConvTranspose1d: transposed convolutions support dilation 1 only");
        Should.Throw<ArgumentOutOfRangeException>(() => _torch.Embedding(_torch.Allocate(new TensorShape(3, 2)), [1, 3], _torch.Allocate(new TensorShape(2, 2))))
            .Message.ShouldStartWith("Embedding: ids[1] = 3 is outside the table's 3 rows.");
        Should.Throw<ArgumentOutOfRangeException>(() => _torch.CreateKvCache(2, 4, 8, 9))
            .Message.ShouldStartWith("CreateKvCache: the window must be between 1 and the capacity (8).");
        using IKvCache ring = _torch.CreateKvCache(1, 3, 5, 3);
        ITensor rows = _torch.Allocate(new TensorShape(4, 3));
        Should.Throw<ArgumentException>(() => _torch.Attention(rows, rows, rows, ring, 0, _torch.Allocate(new TensorShape(4, 3))))
            .Message.ShouldStartWith("Attention: 4 rows do not fit a ring cache of capacity 5 with window 3: at most 3 per call.");
        Should.Throw<ArgumentException>(() => _torch.ReadKvCache(ring, 1, new float[3], new float[3]))
            .Message.ShouldStartWith("ReadKvCache: the cache is a ring (window 3); only linear caches are read and written.");
        Should.Throw<ArgumentException>(() => _torch.Attention(m, m, m, _managed.CreateKvCache(1, 3, 4, null), 0, _torch.Allocate(new TensorShape(2, 3))))
            .Message.ShouldStartWith("Attention: the cache is a ManagedKvCache, not created by the torch backend.");
    }

    private static IEnumerable<(string Name, Action<ITensorBackend, ITensor> Op)> ElementwiseOperations(float[] w, float[] bias, float[] alpha)
    {
        yield return ("layer norm", (b, x) => b.LayerNorm(x, b.Tensor(w, 10), b.Tensor(bias, 10), 1e-5f, x));
        yield return ("layer norm without affine", (b, x) => b.LayerNorm(x, null, null, 1e-6f, x));
        yield return ("variance norm", (b, x) => b.VarianceNorm(x, b.Tensor(alpha, 10), 1e-5f, x));
        yield return ("elu", (b, x) => b.Unary(UnaryOp.Elu, x, x));
        yield return ("gelu", (b, x) => b.Unary(UnaryOp.Gelu, x, x));
        yield return ("tanh gelu", (b, x) => b.Unary(UnaryOp.GeluTanh, x, x));
        yield return ("silu", (b, x) => b.Unary(UnaryOp.Silu, x, x));
        yield return ("add a row", (b, x) => b.Binary(BinaryOp.Add, x, b.Tensor(w, 10), x));
        yield return ("multiply by a row", (b, x) => b.Binary(BinaryOp.Multiply, x, b.Tensor(w, 10), x));
        yield return ("multiply into b", (b, x) =>
        {
            ITensor other = b.Tensor([.. Enumerable.Repeat(w, 4).SelectMany(r => r)], 4, 10);
            b.Binary(BinaryOp.Multiply, other, x, x);
        }
        );
        yield return ("scale and shift", (b, x) => b.ScaleShift(x, 0.75f, -2f, x));
    }

    /// <summary>Allocates the destination y, runs the operation into it and returns its values.</summary>
    private static float[] Run(ITensorBackend backend, TensorShape shape, Action<ITensorBackend, ITensor> op)
    {
        using ITensor y = backend.Allocate(shape);
        op(backend, y);
        return backend.Values(y);
    }

    private static LinearWeights Weights(int outFeatures, int inFeatures, bool quantized, bool bias)
    {
        var random = new Random(outFeatures * 31 + inFeatures);
        return new LinearWeights
        {
            OutFeatures = outFeatures,
            InFeatures = inFeatures,
            Weight = quantized ? default : Random(12, outFeatures * inFeatures),
            QuantizedWeight = quantized ? Enumerable.Range(0, outFeatures * inFeatures).Select(_ => (sbyte)random.Next(-127, 128)).ToArray() : default,
            Scales = quantized ? Enumerable.Range(0, outFeatures).Select(o => 0.001f * (o + 1)).ToArray() : default,
            Bias = bias ? Random(13, outFeatures) : default,
        };
    }

    /// <summary>|actual − expected| ≤ tolerance · max(1, |expected|), element by element.</summary>
    private static void Close(float[] actual, float[] expected, float tolerance, string what = "")
    {
        actual.Length.ShouldBe(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
        {
            float error = MathF.Abs(actual[i] - expected[i]);
            error.ShouldBeLessThanOrEqualTo(tolerance * MathF.Max(1f, MathF.Abs(expected[i])), $"{what} [{i}]: {actual[i]} vs {expected[i]}");
        }
    }
}
