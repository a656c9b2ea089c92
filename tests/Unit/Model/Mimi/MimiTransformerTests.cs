using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Mimi.MimiTestKit;

namespace PocketTts.Tests.Unit.Model.Mimi;

/// <summary>The tiny model's decoder transformer (d_model 64, context 250) as a streaming layer.</summary>
public sealed class MimiTransformerTests : IDisposable
{
    private const int Dim = 64;

    private readonly ITensorBackend _backend = CreateBackend();
    private readonly SafeTensorsFile _model = OpenTinyModel();

    public void Dispose()
    {
        _model.Dispose();
        _backend.Dispose();
    }

    [Fact]
    public void Chunks_of_one_two_and_three_steps_give_the_whole_signal_output_beyond_the_context()
    {
        using MimiTransformer transformer = Build();
        const int steps = 275;  // 25 steps past the 250-step window
        float[] x = Random(Dim * steps, seed: 1);
        float[] whole = RunInChunks(_backend, transformer, x, steps, steps);
        foreach (int chunk in new[] { 1, 2, 3 })
            RunInChunks(_backend, transformer, x, steps, chunk).ShouldBeClose(whole, 1e-5f, $"chunks of {chunk} steps");
    }

    [Fact]
    public void The_context_limits_attention_to_the_last_250_steps_in_each_layer()
    {
        // Each of the two layers looks 249 steps back, so output t depends on inputs t − 498 … t.
        using MimiTransformer transformer = Build();
        const int steps = 510;
        float[] x = Random(Dim * steps, seed: 2);
        float[] changedStart = (float[])x.Clone();
        float[] change = Random(Dim, seed: 3);
        for (int c = 0; c < Dim; c++)
            changedStart[c * steps] += change[c];
        float[] a = RunInChunks(_backend, transformer, x, steps, steps);
        float[] b = RunInChunks(_backend, transformer, changedStart, steps, steps);
        Columns(b, Dim, steps, 499, 11).ShouldBe(Columns(a, Dim, steps, 499, 11), "steps 499 … 509 never see step 0");
        MaxAbsDiff(Columns(a, Dim, steps, 498, 1), Columns(b, Dim, steps, 498, 1)).ShouldBeGreaterThan(1e-6f, "step 498 still sees step 0 through step 249");
    }

    [Fact]
    public void Reset_starts_over_at_position_zero()
    {
        using MimiTransformer transformer = Build();
        using IStreamingState state = transformer.CreateState(4);
        using ITensor x = _backend.Constant(Random(Dim * 4, seed: 4), new TensorShape(Dim, 4));
        using ITensor y = _backend.Allocate(new TensorShape(Dim, 4));
        transformer.Forward(x, y, state);
        float[] first = _backend.Read(y);
        transformer.Forward(x, y, state);
        _backend.Read(y).ShouldNotBe(first);
        state.Reset();
        transformer.Forward(x, y, state);
        _backend.Read(y).ShouldBe(first);
    }

    [Fact]
    public void Projections_are_refused_with_the_widths()
    {
        var scope = new WeightScope(_model).Scope("mimi").Scope("decoder_transformer");
        Should.Throw<ArgumentException>(() => new MimiTransformer(_backend, Tiny.Transformer with { InputDimension = 32 }, scope))
            .Message.ShouldContain("input_dimension 32 and output_dimensions [64] needs projections");
    }

    private MimiTransformer Build()
    {
        var root = new WeightScope(new FilteredWeights(_model, "mimi.decoder_transformer."));
        var transformer = new MimiTransformer(_backend, Tiny.Transformer, root.Scope("mimi").Scope("decoder_transformer"));
        root.EnsureAllConsumed();
        return transformer;
    }
}
