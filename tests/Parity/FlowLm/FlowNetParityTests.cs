using PocketTts.Model.FlowLm;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

/// <summary>flow_net.safetensors: the flow MLP on four rows (with its intermediates) and LSD decoding in 1, 2 and 4 steps.</summary>
public sealed class FlowNetParityTests
{
    private const float Tolerance = 2e-5f;
    private const int Rows = 4;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void One_call_matches_the_reference_with_its_intermediates(string backendName)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open("flow_net.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowNet net = Build(backend, weights);
        using FlowNetWorkspace workspace = net.CreateWorkspace(Rows);
        using ITensor c = backend.Input(fixture, "c");
        using ITensor x = backend.Input(fixture, "x");
        using ITensor output = backend.Allocate(new TensorShape(Rows, net.LatentDim));
        backend.Write(fixture.Floats("s"), workspace.S);
        backend.Write(fixture.Floats("t"), workspace.T);

        net.EmbedCondition(c, workspace);
        net.Forward(x, workspace, output);

        backend.ReadAll(workspace.Condition).ShouldBeClose(fixture.Floats("cond_embed_c"), Tolerance, "cond_embed(c)");
        backend.ReadAll(workspace.TimeS).ShouldBeClose(fixture.Floats("time_embed0_s"), Tolerance, "time_embed[0](s)");
        backend.ReadAll(workspace.TimeT).ShouldBeClose(fixture.Floats("time_embed1_t"), Tolerance, "time_embed[1](t)");
        backend.ReadAll(output).ShouldBeClose(fixture.Floats("output"), Tolerance, "flow_net(c, s, t, x)");
    }

    [Theory]
    [MemberData(nameof(LsdCases))]
    public void Lsd_decoding_matches_the_reference(string backendName, int steps)
    {
        using var weights = TinyModel.OpenWeights();
        using var fixture = Fixture.Open("flow_net.safetensors");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowNet net = Build(backend, weights);
        using FlowNetWorkspace workspace = net.CreateWorkspace(Rows);
        using ITensor c = backend.Input(fixture, "c");
        using ITensor x = backend.Input(fixture, "lsd/x0");

        net.EmbedCondition(c, workspace);
        LsdDecode.Decode(backend, net, workspace, x, steps);

        backend.ReadAll(x).ShouldBeClose(fixture.Floats($"lsd/steps{steps}"), Tolerance, $"LSD with {steps} steps");
    }

    public static TheoryData<string, int> LsdCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string backend in ParityBackends.AvailableTensorBackends)
        {
            foreach (int steps in new[] { 1, 2, 4 })
                data.Add(backend, steps);
        }
        return data;
    }

    private static FlowNet Build(ITensorBackend backend, SafeTensorsFile weights)
    {
        var config = TinyModel.Config;
        return new FlowNet(backend, config.FlowLm.Flow, config.Mimi.Quantizer.Dimension, config.FlowLm.Transformer.DModel,
            new WeightScope(weights).Scope("flow_lm").Scope("flow_net"));
    }
}
