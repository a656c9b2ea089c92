using PocketTts.Config;
using PocketTts.Model.FlowLm;
using PocketTts.Tensors;
using PocketTts.Weights;
using static PocketTts.Tests.Unit.Model.Transformer.TransformerTestKit;

namespace PocketTts.Tests.Unit.Model.FlowLm;

public sealed class LsdDecodeTests
{
    private const int Rows = 2;
    private const int LatentDim = 32;
    private const int ModelDim = 128;

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Each_step_evaluates_the_flow_from_i_over_n_to_i_plus_1_over_n_and_adds_a_nth_of_it(int steps)
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using FlowNet net = TinyFlowNet(backend, weights);
        using FlowNetWorkspace workspace = net.CreateWorkspace(Rows);
        using ITensor c = backend.Constant(Random(Rows * ModelDim, seed: 1), new TensorShape(Rows, ModelDim));
        float[] noise = Random(Rows * LatentDim, seed: 2);
        using ITensor decoded = backend.Constant(noise, new TensorShape(Rows, LatentDim));
        using ITensor expected = backend.Constant(noise, new TensorShape(Rows, LatentDim));
        using ITensor flow = backend.Allocate(new TensorShape(Rows, LatentDim));
        net.EmbedCondition(c, workspace);

        LsdDecode.Decode(backend, net, workspace, decoded, steps);

        float[] x = noise;
        for (int i = 0; i < steps; i++)
        {
            backend.Fill(workspace.S, (float)i / steps);
            backend.Fill(workspace.T, (float)(i + 1) / steps);
            backend.Write(x, expected);
            net.Forward(expected, workspace, flow);
            float[] v = backend.ReadAll(flow);
            x = [.. x.Select((value, k) => value + v[k] * (1f / steps))];
        }
        MaxAbsDiff(backend.ReadAll(decoded), x).ShouldBeLessThanOrEqualTo(1e-6f);
        MaxAbsDiff(x, noise).ShouldBeGreaterThan(0.01f, "decoding moved the noise");
    }

    [Fact]
    public void Fewer_than_one_step_is_rejected()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();
        using FlowNet net = TinyFlowNet(backend, weights);
        using FlowNetWorkspace workspace = net.CreateWorkspace(1);
        using ITensor x = backend.Allocate(new TensorShape(1, LatentDim));

        Should.Throw<ArgumentOutOfRangeException>(() => LsdDecode.Decode(backend, net, workspace, x, 0));
    }

    [Fact]
    public void A_flow_net_deeper_than_its_weights_names_the_missing_block()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();

        var error = Should.Throw<InvalidDataException>(() => new FlowNet(backend, new FlowNetConfig { Dim = 64, Depth = 3 }, LatentDim, ModelDim,
            new WeightScope(weights).Scope("flow_lm").Scope("flow_net")));

        error.Message.ShouldContain("'flow_lm.flow_net.res_blocks.2.");
    }

    [Fact]
    public void A_flow_net_of_the_wrong_width_reports_both_shapes()
    {
        using var weights = OpenTinyWeights();
        using ITensorBackend backend = CreateBackend();

        var error = Should.Throw<InvalidDataException>(() => new FlowNet(backend, new FlowNetConfig { Dim = 32, Depth = 2 }, LatentDim, ModelDim,
            new WeightScope(weights).Scope("flow_lm").Scope("flow_net")));

        error.Message.ShouldContain("has shape [64, 256], expected [32, 256]");
    }

    internal static FlowNet TinyFlowNet(ITensorBackend backend, SafeTensorsFile weights) =>
        new(backend, new FlowNetConfig { Dim = 64, Depth = 2 }, LatentDim, ModelDim, new WeightScope(weights).Scope("flow_lm").Scope("flow_net"));
}
