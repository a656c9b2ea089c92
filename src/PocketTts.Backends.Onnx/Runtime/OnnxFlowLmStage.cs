using PocketTts.Graphs;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// FlowLM on the <c>flow_lm_voice</c>, <c>flow_lm_main</c> and <c>flow_net</c> graphs. The
/// caches live on the host (<see cref="OnnxKvCache"/>); the LSD loop runs here, one flow net call per step, with the
/// same float arithmetic as <c>LsdDecode</c> (a drifting head: one call, as <c>DriftingDecode</c>).
/// </summary>
internal sealed class OnnxFlowLmStage : IFlowLmStage
{
    private readonly StageGraphSettings _settings;
    private readonly OnnxGraph _voice;
    private readonly OnnxGraph _main;
    private readonly OnnxGraph _flow;

    public OnnxFlowLmStage(string backendName, StageGraphSettings settings, OnnxGraph voice, OnnxGraph main, OnnxGraph flow)
    {
        BackendName = backendName;
        _settings = settings;
        _voice = voice;
        _main = main;
        _flow = flow;
    }

    public string BackendName { get; }

    public int ModelDim => _settings.ModelDim;

    public int LatentDim => _settings.LatentDim;

    public int Layers => _settings.Layers;

    public int Heads => _settings.Heads;

    public int HeadDim => _settings.HeadDim;

    public bool HasBosBeforeVoice => _settings.HasBosBeforeVoice;

    public IFlowLmState CreateState(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new State(this, capacity, new StreamState([_main], capacity));
    }

    public IFlowLmState CreateState(FlowLmSnapshot snapshot, int capacity)
    {
        StageArguments.Snapshot(this, snapshot, capacity);
        var state = (State)CreateState(capacity);
        IReadOnlyList<OnnxKvCache> caches = state.Stream.Caches;
        for (int i = 0; i < Layers; i++)
            caches[i].Load(snapshot.Offset, snapshot.Keys[i], snapshot.Values[i]);
        return state;
    }

    public FlowLmSnapshot Snapshot(IFlowLmState state)
    {
        State s = Own(state);
        int length = s.Offset * Heads * HeadDim;
        var keys = new float[Layers][];
        var values = new float[Layers][];
        IReadOnlyList<OnnxKvCache> caches = s.Stream.Caches;
        for (int i = 0; i < Layers; i++)
        {
            keys[i] = caches[i].Keys.AsSpan(0, length).ToArray();
            values[i] = caches[i].Values.AsSpan(0, length).ToArray();
        }
        return new FlowLmSnapshot(s.Offset, Heads, HeadDim, keys, values);
    }

    public int VoicePromptRows(int latentFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latentFrames);
        return latentFrames + (HasBosBeforeVoice ? 1 : 0);
    }

    public void ConditionVoice(ReadOnlySpan<float> latents, Span<float> conditioning)
    {
        int speakerDim = _settings.SpeakerDim;
        int frames = StageArguments.ConditionVoice(this, speakerDim, latents, conditioning), rows = VoicePromptRows(frames);
        var input = latents.ToArray();
        var output = new float[Math.Max(1, rows) * ModelDim];
        using var call = new GraphBinding(_voice);
        call.Input("latents", input.AsMemory(), frames, speakerDim)
            .Output("conditioning", output.AsMemory((rows - frames) * ModelDim, frames * ModelDim), frames, ModelDim);
        if (HasBosBeforeVoice)
            call.Output("bos_before_voice", output.AsMemory(0, ModelDim), 1, ModelDim);
        call.Run();
        output.AsSpan(0, rows * ModelDim).CopyTo(conditioning);
    }

    public void Prompt(IFlowLmState state, ReadOnlySpan<float> conditioning, Span<float> lastHidden)
    {
        State s = Own(state);
        int rows = StageArguments.Prompt(this, conditioning, lastHidden);
        var input = conditioning.ToArray();
        var hidden = new float[rows * ModelDim];
        var eos = new float[rows];
        using (GraphBinding call = s.Stream.Bind(_main))
        {
            call.Input("conditioning", input.AsMemory(), rows, ModelDim)
                .Input("latents", s.Step.Latent.AsMemory(0, 0), 0, LatentDim)
                .Output("hidden", hidden.AsMemory(), rows, ModelDim)
                .Output("eos_logit", eos.AsMemory(), rows, 1);
            s.Stream.Run(_main, call, rows);
        }
        if (!lastHidden.IsEmpty)
            hidden.AsSpan((rows - 1) * ModelDim, ModelDim).CopyTo(lastHidden);
    }

    /// <remarks>Runs on the state's own bindings: a step makes no binding, tensor or buffer.</remarks>
    public float SampleNextLatent(IFlowLmState state, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden)
    {
        State s = Own(state);
        StageArguments.SampleNextLatent(this, inputLatent, noise, lsdSteps, outputLatent, hidden);
        FlowStep step = s.Step;
        inputLatent.CopyTo(step.Latent);
        s.Stream.Run(_main, s.MainStep, rows: 1);
        if (_settings.DriftingHead)
            step.DecodeDrifting(noise, s.FlowNet);
        else
            step.Decode(noise, lsdSteps, s.FlowNet);
        return step.Finish(outputLatent, hidden);
    }

    /// <summary>A step of flow_lm_main on the state's step buffers: one latent in, no conditioning rows; out_norm and the EOS logit out.</summary>
    private GraphBinding BindStep(StreamState stream, FlowStep step)
    {
        GraphBinding main = stream.Bind(_main);
        return main.Input("conditioning", step.Hidden.AsMemory(0, 0), 0, ModelDim)
            .Input("latents", step.Latent.AsMemory(), 1, LatentDim)
            .Output("hidden", step.Hidden.AsMemory(), 1, ModelDim)
            .Output("eos_logit", step.EosLogit.AsMemory(), 1, 1);
    }

    /// <summary>The flow net on the step's condition and x; an LSD head's graph also takes s and t, a drifting head's does not.</summary>
    private GraphBinding BindFlowNet(FlowStep step)
    {
        var flow = new GraphBinding(_flow);
        flow.Input("condition", step.Hidden.AsMemory(), 1, ModelDim);
        if (!_settings.DriftingHead)
        {
            flow.Input("s", step.Times.AsMemory(0, 1), 1, 1)
                .Input("t", step.Times.AsMemory(1, 1), 1, 1);
        }
        return flow.Input("x", step.Sample.AsMemory(), 1, LatentDim)
            .Output("flow", step.Flow.AsMemory(), 1, LatentDim);
    }

    private State Own(IFlowLmState state) => StageArguments.Own<State>(state, this, static s => s.Owner, "FlowLM");

    public void Dispose()
    {
        _voice.Dispose();
        _main.Dispose();
        _flow.Dispose();
    }

    private sealed class State : IFlowLmState
    {
        public State(OnnxFlowLmStage owner, int capacity, StreamState stream)
        {
            Owner = owner;
            Capacity = capacity;
            Stream = stream;
            Step = new FlowStep(owner.LatentDim, owner.ModelDim);
            MainStep = owner.BindStep(stream, Step);
            FlowNet = owner.BindFlowNet(Step);
        }

        public OnnxFlowLmStage Owner { get; }

        public StreamState Stream { get; }

        public int Offset => Stream.Position;

        public int Capacity { get; }

        public FlowStep Step { get; }

        /// <summary>flow_lm_main bound to <see cref="Step"/>'s buffers for one latent row.</summary>
        public GraphBinding MainStep { get; }

        /// <summary>flow_net bound to <see cref="Step"/>'s buffers.</summary>
        public GraphBinding FlowNet { get; }

        public void Dispose()
        {
            MainStep.Dispose();
            FlowNet.Dispose();
        }
    }
}
