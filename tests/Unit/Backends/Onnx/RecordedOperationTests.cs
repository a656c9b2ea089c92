using PocketTts.Graphs.Onnx;
using PocketTts.Tensors;
using static PocketTts.Tests.Unit.Backends.Managed.BackendTestData;

namespace PocketTts.Tests.Unit.Backends.Onnx;

/// <summary>Each operation as the recorder writes it, run in ONNX Runtime, against the managed backend.</summary>
public sealed class RecordedOperationTests : IDisposable
{
    private readonly RecordedGraphHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private void ShouldMatchManaged(TensorShape[] shapes, TensorShape output, Action<ITensorBackend, ITensor[], ITensor> body, float tolerance = 1e-5f)
    {
        float[][] inputs = [.. shapes.Select((s, i) => Random(10 + i, s.ElementCount))];
        using OpenedGraph graph = _harness.Open(RecordedGraphHarness.Record(shapes, output, body));
        float[] actual = RecordedGraphHarness.Run(graph, [inputs], output.ElementCount)[0];
        using var managed = Create();
        float[] expected = RecordedGraphHarness.Managed(managed, inputs, shapes, output, body);
        for (int i = 0; i < expected.Length; i++)
            MathF.Abs(actual[i] - expected[i]).ShouldBeLessThanOrEqualTo(tolerance * MathF.Max(1f, MathF.Abs(expected[i])), $"[{i}]: {actual[i]} vs {expected[i]}");
    }

    private static TensorShape S(params int[] dims) => new(dims);

    [Fact]
    public void Linear_with_and_without_bias() =>
        ShouldMatchManaged([S(3, 8)], S(3, 5), (b, x, y) =>
        {
            using IPackedLinear w = b.PackLinear(new LinearWeights { OutFeatures = 5, InFeatures = 8, Weight = Random(1, 40), Bias = Random(2, 5) });
            using IPackedLinear v = b.PackLinear(new LinearWeights { OutFeatures = 5, InFeatures = 5, Weight = Random(3, 25) });
            using ITensor h = b.Allocate(S(3, 5));
            b.Linear(x[0], w, h);
            b.Linear(h, v, y);
        });

    [Fact]
    public void Int8_linear_stays_close_to_the_float_layer()
    {
        float[] weight = Random(1, 64 * 32);
        var quantized = new sbyte[weight.Length];
        var scales = new float[64];
        for (int o = 0; o < 64; o++)
        {
            float max = 0;
            for (int i = 0; i < 32; i++)
                max = MathF.Max(max, MathF.Abs(weight[o * 32 + i]));
            scales[o] = max / 127f;
            for (int i = 0; i < 32; i++)
                quantized[o * 32 + i] = (sbyte)MathF.Round(weight[o * 32 + i] / scales[o]);
        }
        float[] x = Random(5, 2 * 32);
        using OpenedGraph graph = _harness.Open(RecordedGraphHarness.Record([S(2, 32)], S(2, 64), (b, t, y) =>
            b.Linear(t[0], b.PackLinear(new LinearWeights { OutFeatures = 64, InFeatures = 32, QuantizedWeight = quantized, Scales = scales, Bias = Random(6, 64) }), y)));
        graph.Spec.Name.ShouldBe("test");
        float[] actual = RecordedGraphHarness.Run(graph, [[x]], 128)[0];
        using var managed = Create();
        float[] expected = RecordedGraphHarness.Managed(managed, [x], [S(2, 32)], S(2, 64), (b, t, y) =>
            b.Linear(t[0], b.PackLinear(new LinearWeights { OutFeatures = 64, InFeatures = 32, Weight = weight, Bias = Random(6, 64) }), y));
        double signal = expected.Sum(v => (double)v * v), noise = expected.Select((v, i) => (double)(v - actual[i]) * (v - actual[i])).Sum();
        (10 * Math.Log10(signal / noise)).ShouldBeGreaterThan(30);
    }

    /// <summary>
    /// The worst case for a saturating kernel: every activation quantizes to 255 and every weight is ±127, so two
    /// adjacent products add up to ±64770, twice what an int16 holds. Whatever kernel ONNX Runtime picks on this CPU,
    /// the result must be the exact integer sum scaled back (it was off by half on AVX2 without VNNI with int8 weights).
    /// </summary>
    [Fact]
    public void Int8_linear_sums_exactly_where_a_16_bit_pair_sum_would_saturate()
    {
        const int In = 64, Out = 16;
        var quantized = new sbyte[Out * In];
        var scales = new float[Out];
        for (int o = 0; o < Out; o++)
        {
            scales[o] = 0.01f * (o + 1);
            for (int i = 0; i < In; i++)
                quantized[o * In + i] = (sbyte)((o + i / 8) % 3 == 0 ? 127 : -127);
        }
        float[] x = [.. Enumerable.Repeat(2.55f, In)];
        using OpenedGraph graph = _harness.Open(RecordedGraphHarness.Record([S(1, In)], S(1, Out), (b, t, y) =>
            b.Linear(t[0], b.PackLinear(new LinearWeights { OutFeatures = Out, InFeatures = In, QuantizedWeight = quantized, Scales = scales }), y)));
        float[] actual = RecordedGraphHarness.Run(graph, [[x]], Out)[0];
        for (int o = 0; o < Out; o++)
        {
            // DynamicQuantizeLinear maps [0, 2.55] onto [0, 255]: scale 0.01, zero point 0, every activation 255.
            long sum = 0;
            for (int i = 0; i < In; i++)
                sum += 255L * quantized[o * In + i];
            double expected = sum * 0.01 * scales[o];
            actual[o].ShouldBe((float)expected, Math.Abs(expected) * 1e-5, $"output {o}");
        }
    }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(2, 1, 1, false)]
    [InlineData(1, 2, 2, true)]
    public void Convolutions(int stride, int dilation, int groups, bool bias) =>
        ShouldMatchManaged([S(4, 12)], S(6, (12 - 2 * dilation - 1) / stride + 1), (b, x, y) =>
        {
            var geometry = new ConvGeometry(4, 6, 3, stride, dilation, groups);
            using IPackedConv w = b.PackConv1d(geometry, Random(1, 6 * (4 / groups) * 3), bias ? Random(2, 6) : ReadOnlyMemory<float>.Empty);
            b.Conv1d(x[0], w, y);
        });

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    public void Transposed_convolutions(int stride, int groups) =>
        ShouldMatchManaged([S(4, 5)], S(6, 4 * stride + 2 * stride), (b, x, y) =>
        {
            var geometry = new ConvGeometry(4, 6, 2 * stride, stride, 1, groups);
            using IPackedConv w = b.PackConvTranspose1d(geometry, Random(1, 4 * (6 / groups) * 2 * stride), Random(2, 6));
            b.ConvTranspose1d(x[0], w, y);
        });

    [Fact]
    public void Norms_activations_and_element_wise_operations() =>
        ShouldMatchManaged([S(3, 16), S(16)], S(3, 16), (b, x, y) =>
        {
            using ITensor weight = b.Constant(Random(1, 16), S(16)), bias = b.Constant(Random(2, 16), S(16)), h = b.Allocate(S(3, 16));
            b.LayerNorm(x[0], weight, bias, 1e-5f, h);
            b.Unary(UnaryOp.Gelu, h, h);
            b.LayerNorm(h, null, null, 1e-6f, h);
            b.Unary(UnaryOp.GeluTanh, h, h);
            b.Unary(UnaryOp.Silu, h, h);
            b.VarianceNorm(h, x[1], 1e-5f, h);
            b.Unary(UnaryOp.Elu, h, h);
            b.Binary(BinaryOp.Multiply, h, x[1], h);
            b.ScaleShift(h, 0.5f, 1f, h);
            b.Binary(BinaryOp.Add, h, x[0], y);
        });

    [Fact]
    public void Timestep_features_and_NaN_replacement() =>
        ShouldMatchManaged([S(2, 1), S(4)], S(2, 8), (b, x, y) =>
        {
            using ITensor withNan = b.Constant([1f, float.NaN, 3f, 4f, float.NaN, float.NaN, 0f, 2f], S(2, 4)), h = b.Allocate(S(2, 4)), f = b.Allocate(S(2, 8));
            b.ReplaceNaN(withNan, x[1], h);
            b.TimestepEmbedding(x[0], x[1], f);
            b.CopySlice(h, 1, 0, f, 0, 4);
            b.CopySlice(f, 0, 0, y, 0, 2);
        });

    [Fact]
    public void Slices_written_piece_by_piece_assemble_like_the_managed_buffer() =>
        ShouldMatchManaged([S(3, 4), S(3, 6)], S(6, 3), (b, x, y) =>
        {
            using ITensor buffer = b.Allocate(S(3, 10));
            b.Fill(buffer, 0.25f);
            b.CopySlice(x[0], 1, 0, buffer, 0, 4);
            b.CopySlice(x[1], 1, 1, buffer, 4, 5);
            b.CopySlice(x[0], 1, 2, buffer, 3, 2);   // overwrites across two pieces
            using ITensor rows = b.Allocate(S(3, 6));
            b.CopySlice(buffer, 1, 4, rows, 0, 6);
            b.Transpose(rows, y);
        });

    [Fact]
    public void Rotary_embedding_and_attention_through_the_cache_over_calls_that_move_a_windowed_cache()
    {
        const int rows = 2, heads = 2, headDim = 4, width = heads * headDim;
        void Body(ITensorBackend b, ITensor[] x, ITensor y, IKvCache cache, int position)
        {
            using ITensor q = b.Allocate(S(rows, width)), k = b.Allocate(S(rows, width));
            b.Rope(x[0], heads, position, 10_000f, q);
            b.Rope(x[1], heads, position, 10_000f, k);
            b.Attention(q, k, x[2], cache, position, y);
        }
        foreach (int? window in new int?[] { null, 3 })
        {
            var recorder = new GraphRecorder();
            IKvCache recorded = recorder.CreateKvCache(heads, headDim, 16, window);
            TensorShape[] shapes = [S(rows, width), S(rows, width), S(rows, width)];
            using OpenedGraph graph = _harness.Open(RecordedGraphHarness.Record(shapes, S(rows, width), (b, x, y) => Body(b, x, y, recorded, 0), recorder));
            graph.Spec.Position.ShouldBe("position");
            graph.Spec.Caches.Single().Window.ShouldBe(window);
            float[][][] calls = [.. Enumerable.Range(0, 5).Select(c => shapes.Select((s, i) => Random(100 * c + i, s.ElementCount)).ToArray())];
            // 5 buffer rows: from the 3rd call on, the windowed cache moves its last 2 rows to the front before each call.
            float[][] actual = RecordedGraphHarness.Run(graph, calls, rows * width, cacheRows: window is null ? 64 : 5);

            using var managed = Create();
            using IKvCache cache = managed.CreateKvCache(heads, headDim, 16, window);
            for (int c = 0; c < calls.Length; c++)
            {
                float[] expected = RecordedGraphHarness.Managed(managed, calls[c], shapes, S(rows, width), (b, x, y) => Body(b, x, y, cache, c * rows));
                for (int i = 0; i < expected.Length; i++)
                    actual[c][i].ShouldBe(expected[i], 1e-5f, $"window {window}, call {c}, [{i}]");
            }
        }
    }

    [Fact]
    public void A_buffer_read_before_it_is_written_becomes_state_carried_between_calls()
    {
        var recorder = new GraphRecorder();
        ITensor history = recorder.Allocate(S(2, 3));
        RecordedGraph recorded = RecordedGraphHarness.Record([S(2, 4)], S(2, 4), (b, x, y) =>
        {
            using ITensor padded = b.Allocate(S(2, 7));
            b.CopySlice(history, 1, 0, padded, 0, 3);
            b.CopySlice(x[0], 1, 0, padded, 3, 4);
            b.CopySlice(padded, 1, 4, history, 0, 3);
            b.CopySlice(padded, 1, 0, y, 0, 4);
        }, recorder);
        recorded.Spec.States.Length.ShouldBe(1);
        recorded.Spec.States[0].Shape.ShouldBe([2, 3]);
        using OpenedGraph graph = _harness.Open(recorded);
        float[] first = [1, 2, 3, 4, 5, 6, 7, 8], second = [9, 10, 11, 12, 13, 14, 15, 16];
        float[][] outputs = RecordedGraphHarness.Run(graph, [[first], [second]], 8);
        outputs[0].ShouldBe([0, 0, 0, 1, 0, 0, 0, 5]);          // zero history, then the first input
        outputs[1].ShouldBe([2, 3, 4, 9, 6, 7, 8, 13]);         // the last three samples of the first call
    }

    [Fact]
    public void A_carried_state_written_in_part_keeps_the_rest_of_its_earlier_value_as_a_state_input()
    {
        var recorder = new GraphRecorder();
        ITensor history = recorder.Allocate(S(2, 5));
        int id = ((RecordedTensor)history).Id;
        recorder.BeginGraph("g");
        ITensor x = recorder.Allocate(S(2, 2));
        recorder.Input(x, "x");
        recorder.CopySlice(x, 1, 0, history, 3, 2);
        recorder.EndGraph(carried: [id]).ShouldBe([id]);
        StateSpec state = recorder.Graphs["g"].Spec.States.Single();
        state.Input.ShouldBe($"state_{id}");
        state.Output.ShouldBe($"state_{id}_out");
        recorder.Graphs["g"].Model.Graph.Input.Select(i => i.Name).ShouldBe(["x", state.Input]);
    }

    [Fact]
    public void Misuse_is_reported()
    {
        var recorder = new GraphRecorder();
        ITensor t = recorder.Allocate(S(2));
        Should.Throw<InvalidOperationException>(() => recorder.Unary(UnaryOp.Elu, t, t)).Message.ShouldContain("between BeginGraph and EndGraph");
        Should.Throw<NotSupportedException>(() => recorder.Fill(t, 1f));
        recorder.Fill(t, 0f);   // a state reset: nothing to record
        Should.Throw<NotSupportedException>(() => recorder.Write([1f, 2f], t));
        Should.Throw<NotSupportedException>(() => recorder.Read(t, new float[2]));
        Should.Throw<NotSupportedException>(() => recorder.Embedding(t, [0], t));
        ITensor constant = recorder.Constant([1f, 2f], S(2));
        recorder.BeginGraph("g");
        Should.Throw<InvalidOperationException>(() => recorder.BeginGraph("h")).Message.ShouldContain("still being recorded");
        Should.Throw<InvalidOperationException>(() => recorder.Unary(UnaryOp.Elu, t, constant)).Message.ShouldContain("constant");
        ITensor x = recorder.Allocate(S(1, 4));
        recorder.Rope(x, 1, 3, 10_000f, x);
        Should.Throw<InvalidOperationException>(() => recorder.Rope(x, 1, 4, 10_000f, x)).Message.ShouldContain("one position input");
    }
}
