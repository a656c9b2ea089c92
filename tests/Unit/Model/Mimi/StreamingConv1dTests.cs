using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Mimi.MimiTestKit;

namespace PocketTts.Tests.Unit.Model.Mimi;

public sealed class StreamingConv1dTests : IDisposable
{
    private readonly ITensorBackend _backend = CreateBackend();

    public void Dispose() => _backend.Dispose();

    // in, out, kernel, stride, dilation, groups, bias, replicate, elu
    public static TheoryData<int, int, int, int, int, int, bool, bool, bool> Configs => new()
    {
        { 3, 4, 3, 1, 1, 1, true, false, false },     // residual inner conv
        { 3, 4, 3, 1, 2, 1, true, false, true },      // dilated, ELU fused
        { 4, 6, 4, 2, 1, 2, false, false, false },    // grouped, strided, no bias
        { 3, 5, 1, 1, 1, 1, true, false, true },      // 1×1 after ELU: no history
        { 3, 5, 1, 1, 1, 1, true, false, false },     // 1×1 on the input as it is
        { 4, 3, 8, 4, 1, 1, false, true, false },     // downsampling: kernel 2·stride, replicate
        { 2, 3, 6, 3, 1, 1, true, false, true },      // SEANet downsampling after ELU
        { 4, 4, 7, 1, 1, 1, true, false, false },     // first SEANet conv
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_whole_signal_matches_the_causally_padded_convolution(int inC, int outC, int k, int s, int d, int g, bool bias, bool replicate, bool elu)
    {
        var config = new StreamingConv1d.Config(inC, outC, k, s, d, g, bias, replicate ? PadMode.Replicate : PadMode.Constant, elu);
        var (conv, weight, biasValues) = Build(config, seed: 1);
        using (conv)
        {
            int steps = 17 * s;
            float[] x = Random(inC * steps, seed: 2, scale: 2f);
            float[] expected = ReferenceConv1d(config, weight, biasValues, x, steps);
            RunInChunks(_backend, conv, x, steps, steps).ShouldBeClose(expected, 1e-5f, "whole signal");
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Chunks_of_one_two_and_three_frames_give_the_whole_signal_output(int inC, int outC, int k, int s, int d, int g, bool bias, bool replicate, bool elu)
    {
        var config = new StreamingConv1d.Config(inC, outC, k, s, d, g, bias, replicate ? PadMode.Replicate : PadMode.Constant, elu);
        var (conv, _, _) = Build(config, seed: 3);
        using (conv)
        {
            int steps = 17 * s;
            float[] x = Random(inC * steps, seed: 4, scale: 2f);
            float[] whole = RunInChunks(_backend, conv, x, steps, steps);
            foreach (int frames in new[] { 1, 2, 3 })
                RunInChunks(_backend, conv, x, steps, frames * s).ShouldBeClose(whole, 1e-5f, $"chunks of {frames} frames");
        }
    }

    [Fact]
    public void Reset_returns_to_a_fresh_state()
    {
        var config = new StreamingConv1d.Config(2, 3, 4, 2, Bias: false, Pad: PadMode.Replicate);
        var (conv, _, _) = Build(config, seed: 5);
        using (conv)
        using (StreamingConv1d.State state = conv.CreateState(8))
        using (ITensor x = _backend.Constant(Random(16, seed: 6), new TensorShape(2, 8)))
        using (ITensor y = _backend.Allocate(new TensorShape(3, 4)))
        {
            conv.Forward(x, y, state);
            float[] first = _backend.Read(y);
            conv.Forward(x, y, state);
            _backend.Read(y).ShouldNotBe(first);
            state.Reset();
            conv.Forward(x, y, state);
            _backend.Read(y).ShouldBe(first);
        }
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_what_was_expected()
    {
        var config = new StreamingConv1d.Config(2, 3, 4, 2);
        var (conv, _, _) = Build(config, seed: 7);
        using (conv)
        using (StreamingConv1d.State state = conv.CreateState(8))
        using (ITensor wrongChannels = _backend.Allocate(new TensorShape(3, 8)))
        using (ITensor oddLength = _backend.Allocate(new TensorShape(2, 7)))
        using (ITensor x = _backend.Allocate(new TensorShape(2, 8)))
        using (ITensor y = _backend.Allocate(new TensorShape(3, 4)))
        using (ITensor wrongY = _backend.Allocate(new TensorShape(3, 8)))
        {
            Should.Throw<ArgumentException>(() => conv.Forward(wrongChannels, y, state)).Message.ShouldContain("expected a signal [2, time], got [3, 8]");
            Should.Throw<ArgumentException>(() => conv.Forward(oddLength, y, state)).Message.ShouldContain("7 steps is not a positive multiple of the stride 2");
            Should.Throw<ArgumentException>(() => conv.Forward(x, wrongY, state)).Message.ShouldContain("expected a destination [3, 4], got [3, 8]");
        }
    }

    [Fact]
    public void Missing_or_mis_shaped_weights_name_the_key()
    {
        var config = new StreamingConv1d.Config(2, 3, 4);
        var noBias = new InMemoryWeights().Add("m.conv.weight", new float[24], 3, 2, 4);
        Should.Throw<InvalidDataException>(() => new StreamingConv1d(_backend, config, new WeightScope(noBias).Scope("m")))
            .Message.ShouldContain("'m.conv.bias'");
        var wrongShape = new InMemoryWeights().Add("m.conv.weight", new float[24], 3, 4, 2).Add("m.conv.bias", new float[3], 3);
        Should.Throw<InvalidDataException>(() => new StreamingConv1d(_backend, config, new WeightScope(wrongShape).Scope("m")))
            .Message.ShouldContain("has shape [3, 4, 2], expected [3, 2, 4]");
        Should.Throw<ArgumentException>(() => new StreamingConv1d(_backend, new StreamingConv1d.Config(2, 3, 2, 4), new WeightScope(noBias)))
            .Message.ShouldContain("must be at least Stride");
    }

    private (StreamingConv1d Conv, float[] Weight, float[] Bias) Build(StreamingConv1d.Config config, int seed)
    {
        float[] weight = Random(config.OutChannels * (config.InChannels / config.Groups) * config.KernelSize, seed, 0.5f);
        float[] bias = config.Bias ? Random(config.OutChannels, seed + 100, 0.1f) : [];
        var weights = new InMemoryWeights().Add("layer.conv.weight", weight, config.OutChannels, config.InChannels / config.Groups, config.KernelSize);
        if (config.Bias)
            weights.Add("layer.conv.bias", bias, config.OutChannels);
        return (new StreamingConv1d(_backend, config, new WeightScope(weights).Scope("layer")), weight, bias);
    }
}
