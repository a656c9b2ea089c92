using PocketTts.Model.FlowLm;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Tests.Parity.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;

namespace PocketTts.Tests.Parity.FlowLm;

/// <summary>The FlowLM stage's contract on every backend: snapshots, the allocation-free step, and bad input.</summary>
public sealed class FlowLmStageTests : IDisposable
{
    private readonly SafeTensorsFile _weights = TinyModel.OpenWeights();

    public void Dispose() => _weights.Dispose();

    /// <summary>What a FlowLM step of the tiny model may allocate on a torch backend: TorchSharp's handles (measured 5.2 KB).</summary>
    private const long TorchHandlesPerStepBytes = 8 * 1024;

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_step_allocates_nothing_once_the_state_exists(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowLmStage stage = Build(backend);
        using IFlowLmState state = stage.CreateState(capacity: 8);
        float[] input = Filled(stage.LatentDim, float.NaN), noise = Filled(stage.LatentDim, 0.5f);
        var output = new float[stage.LatentDim];
        var hidden = new float[stage.ModelDim];
        stage.SampleNextLatent(state, input, noise, 4, output, hidden);   // warm up (JIT, lazily initialised kernels)

        long allocated = Allocation.Measure(() => stage.SampleNextLatent(state, output, noise, 4, output, hidden));

        // TorchSharp gives every tensor LibTorch returns (a view, a result) a managed handle object of 48 bytes; the
        // torch backends keep those to what LibTorch needs (in-place operations, views made once per tensor), a few
        // kilobytes per step, nothing sized by the model or the sequence. Every other backend allocates nothing.
        long limit = backendName.StartsWith("torch", StringComparison.Ordinal) ? TorchHandlesPerStepBytes : 0;
        allocated.ShouldBeLessThanOrEqualTo(limit);
        state.Offset.ShouldBeInRange(2, 4);
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_state_restored_from_its_snapshot_continues_identically(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowLmStage stage = Build(backend);
        using IFlowLmState original = stage.CreateState(capacity: 6);
        stage.Prompt(original, Random(3 * stage.ModelDim, seed: 1), []);

        FlowLmSnapshot snapshot = stage.Snapshot(original);
        using IFlowLmState restored = stage.CreateState(snapshot, capacity: 6);

        restored.Offset.ShouldBe(3);
        restored.Capacity.ShouldBe(6);
        FlowLmSnapshot again = stage.Snapshot(restored);
        for (int i = 0; i < stage.Layers; i++)
        {
            again.Keys[i].ShouldBe(snapshot.Keys[i]);
            again.Values[i].ShouldBe(snapshot.Values[i]);
        }
        float[] input = Filled(stage.LatentDim, float.NaN), noise = Random(stage.LatentDim, seed: 2);
        float[] a = new float[stage.LatentDim], b = new float[stage.LatentDim];
        stage.SampleNextLatent(original, input, noise, 2, a, []).ShouldBe(stage.SampleNextLatent(restored, input, noise, 2, b, []));
        b.ShouldBe(a);
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void NaN_entries_of_the_input_are_replaced_one_by_one_with_bos_emb(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowLmStage stage = Build(backend);
        float[] bos = _weights.Floats("flow_lm.bos_emb");
        float[] mixed = Random(stage.LatentDim, seed: 3);
        float[] explicitBos = (float[])mixed.Clone();
        for (int i = 0; i < mixed.Length; i += 3)
        {
            mixed[i] = float.NaN;
            explicitBos[i] = bos[i];
        }
        float[] noise = Random(stage.LatentDim, seed: 4);

        float[] a = Step(stage, mixed, noise), b = Step(stage, explicitBos, noise);

        a.ShouldBe(b);
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void Voice_conditioning_of_no_frames_is_the_bos_row_alone(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowLmStage stage = Build(backend);
        var prompt = new float[stage.ModelDim];

        stage.ConditionVoice([], prompt);

        stage.VoicePromptRows(0).ShouldBe(1);
        stage.VoicePromptRows(21).ShouldBe(22);
        prompt.ShouldBe(_weights.Floats("flow_lm.bos_before_voice"));
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void Bad_input_is_rejected_with_a_message_that_names_it(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowLmStage stage = Build(backend);
        using FlowLmStage other = Build(backend);
        using IFlowLmState state = stage.CreateState(capacity: 2);
        using IFlowLmState foreign = other.CreateState(capacity: 2);
        int l = stage.LatentDim, d = stage.ModelDim;

        Message<ArgumentException>(() => stage.SampleNextLatent(state, new float[l - 1], new float[l], 1, new float[l], []))
            .ShouldStartWith("inputLatent must hold 32 values, got 31.");
        Message<ArgumentException>(() => stage.SampleNextLatent(state, new float[l], new float[l + 1], 1, new float[l], []))
            .ShouldStartWith("noise must hold 32 values, got 33.");
        Message<ArgumentException>(() => stage.SampleNextLatent(state, new float[l], new float[l], 1, new float[l], new float[3]))
            .ShouldStartWith("hidden must be empty or hold 128 values, got 3.");
        Should.Throw<ArgumentOutOfRangeException>(() => stage.SampleNextLatent(state, new float[l], new float[l], 0, new float[l], []));
        Message<ArgumentException>(() => stage.SampleNextLatent(foreign, new float[l], new float[l], 1, new float[l], []))
            .ShouldStartWith("The state was not created by this FlowLM stage.");
        Message<ArgumentException>(() => stage.Prompt(state, new float[d + 1], []))
            .ShouldStartWith("A prompt is [rows ≥ 1, 128]; got 129 values.");
        Message<ArgumentException>(() => stage.Prompt(state, [], []))
            .ShouldStartWith("A prompt is [rows ≥ 1, 128]; got 0 values.");
        Message<ArgumentException>(() => stage.ConditionVoice(new float[l + 1], new float[2 * d]))
            .ShouldStartWith("Voice latents hold 33 values, not whole frames of 32.");
        Message<ArgumentException>(() => stage.ConditionVoice(new float[l], new float[d]))
            .ShouldStartWith("The voice prompt of 1 frames is [2, 128] (256 values); the destination holds 128.");
        state.Offset.ShouldBe(0, "rejected calls leave the state unchanged");
    }

    [Theory]
    [MemberData(nameof(ParityBackends.AvailableTensorBackends), MemberType = typeof(ParityBackends))]
    public void A_full_state_and_mismatched_snapshots_are_reported(string backendName)
    {
        using ITensorBackend backend = ParityBackends.CreateTensorBackend(backendName);
        using FlowLmStage stage = Build(backend);
        using IFlowLmState state = stage.CreateState(capacity: 2);
        stage.Prompt(state, new float[2 * stage.ModelDim], []);
        FlowLmSnapshot snapshot = stage.Snapshot(state);
        var otherHeads = new FlowLmSnapshot(1, 4, 32, [new float[128], new float[128]], [new float[128], new float[128]]);

        Message<InvalidOperationException>(() => stage.SampleNextLatent(state, new float[32], new float[32], 1, new float[32], []))
            .ShouldBe("The transformer state is full: 2 positions written, 1 more requested, capacity 2.");
        Message<ArgumentException>(() => stage.CreateState(otherHeads, 8))
            .ShouldStartWith("The snapshot has 2 layers × 4 heads × 32 features; this model has 2 × 2 × 64.");
        Should.Throw<ArgumentOutOfRangeException>(() => stage.CreateState(snapshot, 1)).Message
            .ShouldStartWith("Capacity 1 cannot hold the snapshot's 2 positions.");
    }

    private FlowLmStage Build(ITensorBackend backend) => new(backend, TinyModel.Config, new WeightScope(_weights));

    private static float[] Step(FlowLmStage stage, float[] input, float[] noise)
    {
        using IFlowLmState state = stage.CreateState(capacity: 1);
        var output = new float[stage.LatentDim];
        stage.SampleNextLatent(state, input, noise, 1, output, []);
        return output;
    }

    private static string Message<TException>(Action action)
        where TException : Exception => Should.Throw<TException>(action).Message;

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        values.AsSpan().Fill(value);
        return values;
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
