using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Mimi.MimiTestKit;

namespace PocketTts.Tests.Unit.Model.Mimi;

public sealed class SeanetResnetBlockTests : IDisposable
{
    private const int Dim = 6, Hidden = 3, Kernel = 3, Dilation = 2, Steps = 23;

    private readonly ITensorBackend _backend = CreateBackend();
    private readonly float[] _w1 = Random(Hidden * Dim * Kernel, seed: 1, 0.5f);
    private readonly float[] _b1 = Random(Hidden, seed: 2, 0.1f);
    private readonly float[] _w3 = Random(Dim * Hidden, seed: 3, 0.5f);
    private readonly float[] _b3 = Random(Dim, seed: 4, 0.1f);

    public void Dispose() => _backend.Dispose();

    [Fact]
    public void Output_is_the_input_plus_the_two_ELU_convolutions()
    {
        using SeanetResnetBlock block = Build();
        float[] x = Random(Dim * Steps, seed: 5, 2f);
        float[] inner = ReferenceConv1d(new(Dim, Hidden, Kernel, Dilation: Dilation, EluInput: true), _w1, _b1, x, Steps);
        float[] expected = ReferenceConv1d(new(Hidden, Dim, 1, EluInput: true), _w3, _b3, inner, Steps);
        for (int i = 0; i < expected.Length; i++)
            expected[i] += x[i];
        RunInChunks(_backend, block, x, Steps, Steps).ShouldBeClose(expected, 1e-5f, "residual block");
    }

    [Fact]
    public void Chunks_of_one_two_and_three_steps_give_the_whole_signal_output()
    {
        using SeanetResnetBlock block = Build();
        float[] x = Random(Dim * Steps, seed: 6, 2f);
        float[] whole = RunInChunks(_backend, block, x, Steps, Steps);
        foreach (int chunk in new[] { 1, 2, 3 })
            RunInChunks(_backend, block, x, Steps, chunk).ShouldBeClose(whole, 1e-5f, $"chunks of {chunk} steps");
    }

    [Fact]
    public void Compress_must_divide_the_width()
    {
        Should.Throw<ArgumentException>(() => new SeanetResnetBlock(_backend, 6, 3, 1, 4, PadMode.Constant, new WeightScope(new InMemoryWeights())))
            .Message.ShouldContain("compress 4 must divide the width 6");
    }

    private SeanetResnetBlock Build()
    {
        var weights = new InMemoryWeights()
            .Add("res.block.1.conv.weight", _w1, Hidden, Dim, Kernel).Add("res.block.1.conv.bias", _b1, Hidden)
            .Add("res.block.3.conv.weight", _w3, Dim, Hidden, 1).Add("res.block.3.conv.bias", _b3, Dim);
        var root = new WeightScope(weights);
        var block = new SeanetResnetBlock(_backend, Dim, Kernel, Dilation, 2, PadMode.Constant, root.Scope("res"));
        root.EnsureAllConsumed();
        return block;
    }
}
