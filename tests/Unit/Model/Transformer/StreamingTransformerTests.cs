using PocketTts.Model.Transformer;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Transformer.TransformerTestKit;

namespace PocketTts.Tests.Unit.Model.Transformer;

public sealed class StreamingTransformerTests
{
    private const int Rows = 11;
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_linear_cache_gives_the_same_output_whole_and_in_chunks(int chunk)
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        float[] x = Random(Rows * FlowLmTransformer.DModel, seed: 1);

        float[] whole = RunInChunks(backend, transformer, x, chunk: Rows, capacity: Rows);
        float[] chunked = RunInChunks(backend, transformer, x, chunk, capacity: Rows);

        MaxAbsDiff(whole, x).ShouldBeGreaterThan(0.1f, "the transformer changed its input");
        MaxAbsDiff(chunked, whole).ShouldBeLessThanOrEqualTo(Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_ring_cache_smaller_than_the_sequence_gives_the_same_output_as_one_whole_pass(int chunk)
    {
        const int context = 4;
        StreamingTransformerConfig config = MimiLike(context);
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, config, Scope(weights, config));
        float[] x = Random(Rows * config.DModel, seed: 2);

        // A windowed cache holds window + the longest call (ITensorBackend.CreateKvCache).
        float[] whole = RunInChunks(backend, transformer, x, chunk: Rows, capacity: context + Rows);
        float[] chunked = RunInChunks(backend, transformer, x, chunk, capacity: context + chunk);   // wraps around

        MaxAbsDiff(chunked, whole).ShouldBeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void The_context_hides_keys_older_than_the_window_and_nothing_else()
    {
        const int context = 4;
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var limited = new StreamingTransformer(backend, MimiLike(context), Scope(weights, MimiLike(context)));
        using var unlimited = new StreamingTransformer(backend, MimiLike(null), Scope(weights, MimiLike(null)));
        int d = limited.Config.DModel;
        float[] x = Random(Rows * d, seed: 3);

        float[] a = RunInChunks(backend, limited, x, chunk: Rows, capacity: context + Rows);
        float[] b = RunInChunks(backend, unlimited, x, chunk: Rows, capacity: Rows);

        // Row t sees keys t − 3 … t with the window, 0 … t without: the same set while t < 4.
        MaxAbsDiff(a.AsSpan(0, context * d), b.AsSpan(0, context * d)).ShouldBe(0f);
        MaxAbsDiff(a.AsSpan(context * d), b.AsSpan(context * d)).ShouldBeGreaterThan(1e-3f);
    }

    [Fact]
    public void Reset_starts_the_stream_over()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using StreamingTransformerState state = transformer.CreateState(capacity: 4, stepRows: 2);
        float[] x = Random(2 * FlowLmTransformer.DModel, seed: 4);
        using ITensor first = backend.Constant(x, new TensorShape(2, FlowLmTransformer.DModel));
        using ITensor second = backend.Constant(x, new TensorShape(2, FlowLmTransformer.DModel));

        transformer.Forward(first, state);
        transformer.Forward(first, state);
        state.Offset.ShouldBe(4);
        state.Reset();
        state.Offset.ShouldBe(0);
        transformer.Forward(second, state);

        float[] restarted = backend.ReadAll(second);
        using var fresh = transformer.CreateState(capacity: 4, stepRows: 2);
        using ITensor third = backend.Constant(x, new TensorShape(2, FlowLmTransformer.DModel));
        transformer.Forward(third, fresh);
        restarted.ShouldBe(backend.ReadAll(third));
    }

    [Fact]
    public void A_step_of_the_state_s_row_count_allocates_nothing()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using StreamingTransformerState state = transformer.CreateState(capacity: 8, stepRows: 1);
        using ITensor x = backend.Constant(Random(FlowLmTransformer.DModel, seed: 5), new TensorShape(1, FlowLmTransformer.DModel));
        transformer.Forward(x, state);   // warm up (JIT, lazily initialised kernels)

        long allocated = Infrastructure.Allocation.Measure(() => transformer.Forward(x, state));

        allocated.ShouldBe(0);
        state.Offset.ShouldBeInRange(2, 4);
    }

    [Fact]
    public void Cache_contents_survive_a_read_and_load_round_trip()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using StreamingTransformerState source = transformer.CreateState(capacity: 6);
        using ITensor prompt = backend.Constant(Random(3 * FlowLmTransformer.DModel, seed: 6), new TensorShape(3, FlowLmTransformer.DModel));
        transformer.Forward(prompt, source);
        int n = 3 * FlowLmTransformer.DModel;
        var keys = new List<float[]>();
        var values = new List<float[]>();
        for (int i = 0; i < FlowLmTransformer.NumLayers; i++)
        {
            keys.Add(new float[n]);
            values.Add(new float[n]);
            source.ReadCache(i, keys[i], values[i]);
        }
        using StreamingTransformerState copy = transformer.CreateState(capacity: 6);
        copy.Load(3, keys, values);
        float[] step = Random(FlowLmTransformer.DModel, seed: 7);
        using ITensor a = backend.Constant(step, new TensorShape(1, FlowLmTransformer.DModel));
        using ITensor b = backend.Constant(step, new TensorShape(1, FlowLmTransformer.DModel));

        transformer.Forward(a, source);
        transformer.Forward(b, copy);

        copy.Offset.ShouldBe(4);
        backend.ReadAll(b).ShouldBe(backend.ReadAll(a));
    }

    [Fact]
    public void Input_of_the_wrong_width_is_rejected()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using StreamingTransformerState state = transformer.CreateState(capacity: 4);
        using ITensor x = backend.Allocate(new TensorShape(2, 64));

        var error = Should.Throw<ArgumentException>(() => transformer.Forward(x, state));

        error.Message.ShouldContain("[rows ≥ 1, 128], got [2, 64]");
        state.Offset.ShouldBe(0);
    }

    [Fact]
    public void A_state_of_another_transformer_is_rejected()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var one = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using var other = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using StreamingTransformerState state = other.CreateState(capacity: 4);
        using ITensor x = backend.Allocate(new TensorShape(1, FlowLmTransformer.DModel));

        Should.Throw<ArgumentException>(() => one.Forward(x, state)).Message.ShouldContain("another transformer");
    }

    [Fact]
    public void A_full_linear_cache_is_reported()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, Scope(weights, FlowLmTransformer));
        using StreamingTransformerState state = transformer.CreateState(capacity: 4);
        using ITensor three = backend.Allocate(new TensorShape(3, FlowLmTransformer.DModel));
        using ITensor two = backend.Allocate(new TensorShape(2, FlowLmTransformer.DModel));
        transformer.Forward(three, state);

        var error = Should.Throw<InvalidOperationException>(() => transformer.Forward(two, state));

        error.Message.ShouldBe("The transformer state is full: 3 positions written, 2 more requested, capacity 4.");
        state.Offset.ShouldBe(3);
    }

    [Fact]
    public void A_ring_cache_too_small_for_window_plus_call_is_reported()
    {
        StreamingTransformerConfig config = MimiLike(context: 4);
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, config, Scope(weights, config));
        using StreamingTransformerState state = transformer.CreateState(capacity: 6, stepRows: 2);
        using ITensor x = backend.Allocate(new TensorShape(3, config.DModel));

        var error = Should.Throw<InvalidOperationException>(() => transformer.Forward(x, state));

        error.Message.ShouldBe("A call of 3 rows needs a ring cache of at least 7 positions (window 4); this one holds 6.");
        state.Offset.ShouldBe(0);
        Should.Throw<ArgumentOutOfRangeException>(() => transformer.CreateState(capacity: 6, stepRows: 3)).Message
            .ShouldStartWith("A ring cache for steps of 3 rows with window 4 needs at least 7 positions.");
    }

    [Fact]
    public void Only_linear_caches_can_be_exported()
    {
        StreamingTransformerConfig config = MimiLike(context: 4);
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using var transformer = new StreamingTransformer(backend, config, Scope(weights, config));
        using StreamingTransformerState state = transformer.CreateState(capacity: 8);

        Should.Throw<InvalidOperationException>(() => state.ReadCache(0, [], []));
    }

    [Theory]
    [InlineData(128, 3, "DModel must be NumHeads × an even head size")]
    [InlineData(6, 2, "DModel must be NumHeads × an even head size")]
    [InlineData(0, 2, "must be positive")]
    public void Invalid_configurations_are_rejected(int dModel, int heads, string message)
    {
        var config = new StreamingTransformerConfig(dModel, heads, 1, 16, 10000f, false, null);

        Should.Throw<ArgumentException>(config.Validate).Message.ShouldContain(message);
    }

    [Fact]
    public void A_missing_layer_names_the_full_key()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        StreamingTransformerConfig threeLayers = FlowLmTransformer with { NumLayers = 3 };

        var error = Should.Throw<InvalidDataException>(() => new StreamingTransformer(backend, threeLayers, Scope(weights, FlowLmTransformer)));

        error.Message.ShouldContain("'flow_lm.transformer.layers.2.norm1.weight'");
    }

    [Fact]
    public void The_transformer_reads_every_tensor_of_its_scope()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        var scope = new WeightScope(new Prefixed(weights, "flow_lm.transformer.")).Scope("flow_lm").Scope("transformer");

        using var transformer = new StreamingTransformer(backend, FlowLmTransformer, scope);

        Should.NotThrow(scope.EnsureAllConsumed);
    }

    /// <summary>Runs x [rows, d] through a fresh state in calls of <paramref name="chunk"/> rows (the last may be shorter).</summary>
    private static float[] RunInChunks(ITensorBackend backend, StreamingTransformer transformer, float[] x, int chunk, int capacity)
    {
        int d = transformer.Config.DModel;
        int rows = x.Length / d;
        var output = new float[x.Length];
        using StreamingTransformerState state = transformer.CreateState(capacity, stepRows: 1);
        for (int start = 0; start < rows; start += chunk)
        {
            int n = Math.Min(chunk, rows - start);
            using ITensor part = backend.Constant(x.AsSpan(start * d, n * d), new TensorShape(n, d));
            transformer.Forward(part, state);
            backend.Read(part, output.AsSpan(start * d, n * d));
        }
        state.Offset.ShouldBe(rows);
        return output;
    }

    private sealed class Prefixed(IWeightSource source, string prefix) : IWeightSource
    {
        public IReadOnlyCollection<string> Names { get; } = [.. source.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

        public bool TryGet(string name, out WeightTensor tensor) => source.TryGet(name, out tensor);
    }
}
