using System.Buffers;
using PocketTts.Audio;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Model;
using PocketTts.Model.FlowLm;
using PocketTts.Model.Transformer;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.FlowLm;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.Upstream3x;

/// <summary>
/// upstream-3x/components.safetensors: the pieces whose numerics changed in the reference's 3.x releases, each
/// against the reconstructed upstream code (fixture README): a transformer layer with tanh GELU, the drifting head,
/// the 5 ms fade-in of a fresh Mimi state and the end-of-prompt trimming.
/// </summary>
public sealed class ComponentParityTests
{
    private const float Tolerance = 2e-5f;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_flow_lm_transformer_layer_uses_the_tanh_gelu(string backendName)
    {
        using SafeTensorsFile fixture = Fixture.Open("upstream-3x/components.safetensors");
        using SafeTensorsFile weights = Upstream3xModels.OpenWeights("tiny_lsd");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        ModelConfig config = Upstream3xModels.Config("tiny_lsd");
        StreamingTransformerConfig one = StreamingTransformerConfig.FromFlowLm(config.FlowLm.Transformer) with { NumLayers = 1 };
        one.Activation.ShouldBe(UnaryOp.GeluTanh);
        using var transformer = new StreamingTransformer(backend, one, new WeightScope(weights).Scope("flow_lm").Scope("transformer"));
        int rows = fixture["layer/input"].Shape[1];
        using StreamingTransformerState state = transformer.CreateState(rows, stepRows: rows);
        using ITensor x = backend.Constant(fixture.Floats("layer/input"), new TensorShape(rows, config.FlowLm.Transformer.DModel));

        // The reference ran the layer without a state, under a causal mask: the same as a fresh cache from position 0.
        transformer.Forward(x, state);

        float[] expected = fixture.Floats("layer/output");
        backend.ReadAll(x).ShouldBeClose(expected, Tolerance, "layer output");
        using ITensor exact = backend.Constant(fixture.Floats("layer/input"), x.Shape);
        using var before3 = new StreamingTransformer(backend, one with { Activation = UnaryOp.Gelu }, new WeightScope(weights).Scope("flow_lm").Scope("transformer"));
        using StreamingTransformerState state2 = before3.CreateState(rows, stepRows: rows);
        before3.Forward(exact, state2);
        Fixture.MaxAbsDiff(expected, backend.ReadAll(exact)).ShouldBeGreaterThan(10 * Tolerance, "the exact GELU of pocket-tts 2.x is measurably different");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void The_drifting_head_maps_the_noise_to_the_latent_in_one_pass(string backendName)
    {
        using SafeTensorsFile fixture = Fixture.Open("upstream-3x/components.safetensors");
        using SafeTensorsFile weights = Upstream3xModels.OpenWeights("tiny_drifting");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        ModelConfig config = Upstream3xModels.Config("tiny_drifting");
        var root = new WeightScope(weights);
        using var net = new FlowNet(backend, config.FlowLm.Flow, config.Mimi.Quantizer.Dimension, config.FlowLm.Transformer.DModel, root.Scope("flow_lm").Scope("flow_net"));
        net.TimeConditions.ShouldBe(0);
        using FlowNetWorkspace workspace = net.CreateWorkspace(rows: 1);
        using ITensor c = backend.Constant(fixture.Floats("drifting/c"), new TensorShape(1, config.FlowLm.Transformer.DModel));
        using ITensor x = backend.Constant(fixture.Floats("drifting/x0"), new TensorShape(1, net.LatentDim));

        net.EmbedCondition(c, workspace);
        DriftingDecode.Decode(backend, net, workspace, x);

        backend.ReadAll(x).ShouldBeClose(fixture.Floats("drifting/output"), Tolerance, "drifting_decode(flow_net(c), x0)");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_drifting_step_allocates_nothing_once_the_state_exists(string backendName)
    {
        using SafeTensorsFile weights = Upstream3xModels.OpenWeights("tiny_drifting");
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using var stage = new FlowLmStage(backend, Upstream3xModels.Config("tiny_drifting"), new WeightScope(weights));
        using IFlowLmState state = stage.CreateState(capacity: 8);
        float[] latent = [.. Enumerable.Repeat(float.NaN, stage.LatentDim)], noise = [.. Enumerable.Repeat(0.5f, stage.LatentDim)];
        var hidden = new float[stage.ModelDim];
        stage.SampleNextLatent(state, latent, noise, 1, latent, hidden);   // warm up (JIT, lazily initialised kernels)

        long allocated = Allocation.Measure(() => stage.SampleNextLatent(state, latent, noise, 1, latent, hidden));

        // As for an LSD step (FlowLmStageTests): TorchSharp's tensor handles only, nothing on the other backends.
        allocated.ShouldBeLessThanOrEqualTo(backendName.StartsWith("torch", StringComparison.Ordinal) ? 8 * 1024 : 0);
    }

    [Fact]
    public void A_drifting_checkpoint_has_no_time_embedders_and_every_tensor_is_used()
    {
        using SafeTensorsFile weights = Upstream3xModels.OpenWeights("tiny_drifting");
        weights.Names.ShouldNotContain(n => n.Contains("time_embed", StringComparison.Ordinal));
        using IBackend backend = ParityBackends.Create("managed");
        using IModelStages stages = ModelStageFactory.BuildOnTensorBackend((ITensorBackend)backend, Upstream3xModels.Source("tiny_drifting"), Upstream3xModels.Config("tiny_drifting"));
        stages.FlowLm.LatentDim.ShouldBe(32);
    }

    [Fact]
    public void A_flow_matching_head_is_refused_with_what_is_supported()
    {
        ModelConfig config = Upstream3xModels.Config("tiny_lsd");
        using SafeTensorsFile weights = Upstream3xModels.OpenWeights("tiny_lsd");
        using IBackend backend = ParityBackends.Create("managed");
        Should.Throw<NotSupportedException>(() => new FlowNet((ITensorBackend)backend, config.FlowLm.Flow with { Type = FlowType.FlowMatching }, 32, 128,
            new WeightScope(weights).Scope("flow_lm").Scope("flow_net"))).Message.ShouldContain("flow_matching) is not supported: this version runs lsd and drifting");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.Available), MemberType = typeof(ParityBackends))]
    public void A_fresh_decoder_state_fades_its_first_5_ms_in(string backendName)
    {
        using SafeTensorsFile fixture = Fixture.Open("upstream-3x/components.safetensors");
        using IBackend backend = ParityBackends.Create(backendName);
        ModelSource source = Upstream3xModels.Source("tiny_lsd");
        ModelConfig config = ModelConfigLoader.Load(source);
        using IModelStages stages = ModelStageFactory.Create(backend, source, config, default);
        var plan = new PlanItem[] { new ChunkPlan("x", [1], 0, 1) };
        using var assembler = new FrameAssembler(stages.MimiDecoder, plan, config.Mimi.SampleRate, GenerationRules.For(config.Mimi.SampleRate));
        float[] latent = ArrayPool<float>.Shared.Rent(stages.MimiDecoder.LatentDim);
        fixture.Floats("fade_in/latent").CopyTo(latent, 0);
        var ready = new List<AudioChunk>();

        assembler.Accept(new LatentMessage(0, 0, latent), ready);

        float[] before = fixture.Floats("fade_in/before"), after = fixture.Floats("fade_in/after");
        ready.Single().Samples.ShouldBeClose(after, 5e-5f, "first frame, faded in");
        after.AsSpan(120).SequenceEqual(before.AsSpan(120)).ShouldBeTrue("only the first 120 samples are faded");
        Fixture.MaxAbsDiff(before.AsSpan(0, 120), after.AsSpan(0, 120)).ShouldBeGreaterThan(1e-4f, "the fade changes the first samples");
    }

    [Theory]
    [InlineData("end_on_pause")]
    [InlineData("end_on_pause_speech_only")]
    public void A_voice_prompt_ends_on_a_faded_pause(string name)
    {
        using SafeTensorsFile fixture = Fixture.Open("upstream-3x/components.safetensors");
        float[] output = EndOnPause.Apply(fixture.Floats($"{name}/input"), 24000);
        float[] expected = fixture.Floats($"{name}/output");
        output.Length.ShouldBe(expected.Length);
        output.ShouldBeClose(expected, 1e-7f, name);
        output.AsSpan(expected.Length - 4800).ContainsAnyExcept(0f).ShouldBeFalse("200 ms of zeros end it");
    }

    [Fact]
    public void The_voice_input_is_trimmed_as_the_reference_trimmed_it()
    {
        using SafeTensorsFile inputs = Fixture.Open("upstream-3x/voice_inputs.safetensors");
        float[] trimmed = EndOnPause.Apply(inputs.Floats("audio"), 24000);
        trimmed.ShouldBeClose(inputs.Floats("audio_after_end_on_pause"), 1e-7f, "voice prompt after end_on_pause");
    }
}
