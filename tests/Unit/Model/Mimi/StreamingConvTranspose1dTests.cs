using PocketTts.Model.Mimi;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Mimi.MimiTestKit;

namespace PocketTts.Tests.Unit.Model.Mimi;

public sealed class StreamingConvTranspose1dTests : IDisposable
{
    private readonly ITensorBackend _backend = CreateBackend();

    public void Dispose() => _backend.Dispose();

    // in, out, kernel, stride, groups, bias, elu
    public static TheoryData<int, int, int, int, int, bool, bool> Configs => new()
    {
        { 4, 3, 6, 3, 1, true, true },        // SEANet decoder: kernel 2·ratio, ELU fused
        { 4, 4, 8, 4, 4, false, false },      // depthwise upsampling, no bias
        { 3, 2, 3, 3, 1, true, false },       // kernel = stride: nothing carried over
        { 2, 4, 5, 2, 2, true, false },       // overlap (3) longer than one call's output (2)
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_whole_signal_gives_the_transposed_convolution_without_its_tail(int inC, int outC, int k, int s, int g, bool bias, bool elu)
    {
        var config = new StreamingConvTranspose1d.Config(inC, outC, k, s, g, bias, elu);
        var (conv, weight, biasValues) = Build(config, seed: 1);
        using (conv)
        {
            const int steps = 13;
            float[] x = Random(inC * steps, seed: 2, scale: 2f);
            RunInChunks(_backend, conv, x, steps, steps).ShouldBeClose(Reference(config, weight, biasValues, x, steps), 1e-5f, "whole signal");
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Chunks_of_one_two_and_three_steps_give_the_whole_signal_output(int inC, int outC, int k, int s, int g, bool bias, bool elu)
    {
        var config = new StreamingConvTranspose1d.Config(inC, outC, k, s, g, bias, elu);
        var (conv, _, _) = Build(config, seed: 3);
        using (conv)
        {
            const int steps = 13;
            float[] x = Random(inC * steps, seed: 4, scale: 2f);
            float[] whole = RunInChunks(_backend, conv, x, steps, steps);
            foreach (int chunk in new[] { 1, 2, 3 })
                RunInChunks(_backend, conv, x, steps, chunk).ShouldBeClose(whole, 1e-5f, $"chunks of {chunk} steps");
        }
    }

    [Fact]
    public void Reset_clears_the_partial()
    {
        var config = new StreamingConvTranspose1d.Config(2, 2, 4, 2);
        var (conv, _, _) = Build(config, seed: 5);
        using (conv)
        using (StreamingConvTranspose1d.State state = conv.CreateState(3))
        using (ITensor x = _backend.Constant(Random(6, seed: 6), new TensorShape(2, 3)))
        using (ITensor y = _backend.Allocate(new TensorShape(2, 6)))
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
        var (conv, _, _) = Build(new StreamingConvTranspose1d.Config(2, 3, 4, 2), seed: 7);
        using (conv)
        using (StreamingConvTranspose1d.State state = conv.CreateState(3))
        using (ITensor wrongChannels = _backend.Allocate(new TensorShape(3, 3)))
        using (ITensor empty = _backend.Allocate(new TensorShape(2, 0)))
        using (ITensor x = _backend.Allocate(new TensorShape(2, 3)))
        using (ITensor wrongY = _backend.Allocate(new TensorShape(3, 8)))
        using (ITensor y = _backend.Allocate(new TensorShape(3, 6)))
        {
            Should.Throw<ArgumentException>(() => conv.Forward(wrongChannels, y, state)).Message.ShouldContain("expected a signal [2, time], got [3, 3]");
            Should.Throw<ArgumentException>(() => conv.Forward(empty, y, state)).Message.ShouldContain("the input is empty");
            Should.Throw<ArgumentException>(() => conv.Forward(x, wrongY, state)).Message.ShouldContain("expected a destination [3, 6], got [3, 8]");
        }
        var weights = new WeightScope(new InMemoryWeights().Add("convtr.weight", new float[24], 3, 2, 4));
        Should.Throw<InvalidDataException>(() => new StreamingConvTranspose1d(_backend, new(2, 3, 4, 2), weights))
            .Message.ShouldContain("has shape [3, 2, 4], expected [2, 3, 4]");
        Should.Throw<ArgumentException>(() => new StreamingConvTranspose1d(_backend, new(2, 3, 2, 4), weights))
            .Message.ShouldContain("KernelSize must be at least Stride");
    }

    private (StreamingConvTranspose1d Conv, float[] Weight, float[] Bias) Build(StreamingConvTranspose1d.Config config, int seed)
    {
        int outPerGroup = config.OutChannels / config.Groups;
        float[] weight = Random(config.InChannels * outPerGroup * config.KernelSize, seed, 0.5f);
        float[] bias = config.Bias ? Random(config.OutChannels, seed + 100, 0.1f) : [];
        var weights = new InMemoryWeights().Add("convtr.weight", weight, config.InChannels, outPerGroup, config.KernelSize);
        if (config.Bias)
            weights.Add("convtr.bias", bias, config.OutChannels);
        return (new StreamingConvTranspose1d(_backend, config, new WeightScope(weights)), weight, bias);
    }

    /// <summary>nn.ConvTranspose1d in double, cut to its first T·Stride samples (the rest is still open).</summary>
    private static float[] Reference(StreamingConvTranspose1d.Config c, float[] weight, float[] bias, float[] x, int steps)
    {
        int inPerGroup = c.InChannels / c.Groups, outPerGroup = c.OutChannels / c.Groups;
        int fullLength = (steps - 1) * c.Stride + c.KernelSize, n = steps * c.Stride;
        var full = new double[c.OutChannels * fullLength];
        for (int o = 0; o < c.OutChannels; o++)
            full.AsSpan(o * fullLength, fullLength).Fill(c.Bias ? bias[o] : 0);
        for (int ci = 0; ci < c.InChannels; ci++)
        {
            int group = ci / inPerGroup;
            for (int op = 0; op < outPerGroup; op++)
            {
                int o = group * outPerGroup + op;
                for (int t = 0; t < steps; t++)
                {
                    double v = c.EluInput ? Elu(x[ci * steps + t]) : x[ci * steps + t];
                    for (int k = 0; k < c.KernelSize; k++)
                        full[o * fullLength + t * c.Stride + k] += weight[(ci * outPerGroup + op) * c.KernelSize + k] * v;
                }
            }
        }
        var y = new float[c.OutChannels * n];
        for (int o = 0; o < c.OutChannels; o++)
        {
            for (int i = 0; i < n; i++)
                y[o * n + i] = (float)full[o * fullLength + i];
        }
        return y;
    }
}
