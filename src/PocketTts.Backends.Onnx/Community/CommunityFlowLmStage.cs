using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// FlowLM on a community bundle's <c>flow_lm_main</c> (transformer, out_norm, EOS head; KV caches as fixed-size state
/// tensors) and <c>flow_lm_flow</c> (the flow net, one call per LSD step, run here as <c>LsdDecode</c> does).
/// flow_lm_main takes <c>sequence</c> [1, S, latent] (NaN rows are BOS) and <c>text_embeddings</c> [1, N, dim],
/// concatenated text first; a prompt pass sends the rows as text with an empty sequence, a step one latent and no text.
/// </summary>
internal sealed class CommunityFlowLmStage : IFlowLmStage
{
    private static readonly float[] NoRows = [];

    private readonly StateEntry[] _states;
    private readonly FlowLmStateLayout _layout;
    private readonly float[]? _bosBeforeVoice;
    private readonly OnnxGraph _main;
    private readonly OnnxGraph _flow;
    private readonly long[] _conditioningShape;
    private readonly long[] _eosShape;
    private readonly long[] _flowShape;

    public CommunityFlowLmStage(string backendName, CommunityBundle bundle, FlowLmStateLayout layout, float[]? bosBeforeVoice, OnnxGraph main, OnnxGraph flow)
    {
        BackendName = backendName;
        ModelDim = bundle.ConditioningDim;
        LatentDim = bundle.LatentDim;
        _states = bundle.FlowLmStates;
        _layout = layout;
        _bosBeforeVoice = bosBeforeVoice;
        _main = main;
        _flow = flow;
        _conditioningShape = CommunityGraph.OutputShape(main, "conditioning", ModelDim);
        _eosShape = CommunityGraph.OutputShape(main, "eos_logit", 1);
        _flowShape = CommunityGraph.OutputShape(flow, "flow_dir", LatentDim);
    }

    public string BackendName { get; }

    public int ModelDim { get; }

    public int LatentDim { get; }

    public int Layers => _layout.Layers;

    public int Heads => _layout.Heads;

    public int HeadDim => _layout.HeadDim;

    public bool HasBosBeforeVoice => _bosBeforeVoice is not null;

    public IFlowLmState CreateState(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (capacity > _layout.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"The community flow_lm_main graph's caches hold {_layout.Capacity} positions (fixed at export, see bundle.json); a state of {capacity} positions does not fit. Use shorter text chunks or voice prompts, or this project's own ONNX export.");
        }
        return new State(this, capacity, new GraphStates(_states));
    }

    public IFlowLmState CreateState(FlowLmSnapshot snapshot, int capacity)
    {
        StageArguments.Snapshot(this, snapshot, capacity);
        var state = (State)CreateState(capacity);
        int valuesStart = _layout.Capacity * Heads * HeadDim;
        for (int layer = 0; layer < Layers; layer++)
        {
            float[] cache = state.States.Floats(_layout.Caches[layer]);   // [2, 1, capacity, heads, headDim]
            snapshot.Keys[layer].CopyTo(cache, 0);
            snapshot.Values[layer].CopyTo(cache, valuesStart);
        }
        foreach (int position in _layout.Positions)
            state.States.Longs(position)[0] = snapshot.Offset;
        state.Offset = snapshot.Offset;
        return state;
    }

    public FlowLmSnapshot Snapshot(IFlowLmState state)
    {
        State s = Own(state);
        int length = s.Offset * Heads * HeadDim, valuesStart = _layout.Capacity * Heads * HeadDim;
        var keys = new float[Layers][];
        var values = new float[Layers][];
        for (int layer = 0; layer < Layers; layer++)
        {
            float[] cache = s.States.Floats(_layout.Caches[layer]);
            keys[layer] = cache.AsSpan(0, length).ToArray();
            values[layer] = cache.AsSpan(valuesStart, length).ToArray();
        }
        return new FlowLmSnapshot(s.Offset, Heads, HeadDim, keys, values);
    }

    public int VoicePromptRows(int latentFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latentFrames);
        return latentFrames + (HasBosBeforeVoice ? 1 : 0);
    }

    /// <summary>
    /// The community mimi_encoder already applies speaker_proj, so its latents are prompt rows [frames, ModelDim];
    /// what is left is the BOS-before-voice row in front.
    /// </summary>
    public void ConditionVoice(ReadOnlySpan<float> latents, Span<float> conditioning)
    {
        int frames = StageArguments.ConditionVoice(this, ModelDim, latents, conditioning), rows = VoicePromptRows(frames);
        if (_bosBeforeVoice is not null)
            _bosBeforeVoice.CopyTo(conditioning);
        latents.CopyTo(conditioning[((rows - frames) * ModelDim)..]);
    }

    public void Prompt(IFlowLmState state, ReadOnlySpan<float> conditioning, Span<float> lastHidden)
    {
        State s = Own(state);
        int rows = StageArguments.Prompt(this, conditioning, lastHidden);
        if (s.Offset + rows > s.Capacity)
            throw new InvalidOperationException($"The state holds {s.Capacity} positions; {s.Offset} are used and the prompt has {rows} rows.");

        // With an empty sequence the graph's "conditioning" is out_norm of the call's first row, not its last
        // (backbone keeps transformer_out[:, -0:], all rows). When the last row's output is wanted, it goes alone
        // in a second call: the caches end the same, appended in two pieces.
        int split = lastHidden.IsEmpty ? rows : rows - 1;
        if (split > 0)
            RunMain(s, conditioning[..(split * ModelDim)].ToArray(), split);
        if (split < rows)
        {
            RunMain(s, conditioning[(split * ModelDim)..].ToArray(), 1);
            s.Step.Hidden.CopyTo(lastHidden);
        }
    }

    public float SampleNextLatent(IFlowLmState state, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden)
    {
        State s = Own(state);
        StageArguments.SampleNextLatent(this, inputLatent, noise, lsdSteps, outputLatent, hidden);
        if (s.Offset + 1 > s.Capacity)
            throw new InvalidOperationException($"The state is full: it holds {s.Capacity} positions.");
        FlowStep step = s.Step;
        inputLatent.CopyTo(step.Latent);
        s.MainSteps[s.States.Parity].Run();
        s.States.Swap();
        s.Offset++;
        step.Decode(noise, lsdSteps, s.FlowNet);
        return step.Finish(outputLatent, hidden);
    }

    /// <summary>One flow_lm_main call of a prompt: its outputs land in the state's Hidden and EosLogit; the states advance.</summary>
    private void RunMain(State s, float[] text, int textRows)
    {
        using (GraphBinding call = BindMain(s, s.States.Parity, NoRows, 0, text, textRows))
            call.Run();
        s.States.Swap();
        s.Offset += textRows;
    }

    /// <summary>flow_lm_main on <paramref name="sequence"/> then <paramref name="text"/> rows, its outputs into the state's step buffers, its states at <paramref name="parity"/>.</summary>
    private GraphBinding BindMain(State s, int parity, float[] sequence, int sequenceRows, float[] text, int textRows)
    {
        var main = new GraphBinding(_main);
        try
        {
            main.Input("sequence", sequence.AsMemory(), 1, sequenceRows, LatentDim)
                .Input("text_embeddings", text.AsMemory(), 1, textRows, ModelDim)
                .Output("conditioning", s.Step.Hidden.AsMemory(), _conditioningShape)
                .Output("eos_logit", s.Step.EosLogit.AsMemory(), _eosShape);
            return s.States.Bind(main, parity);
        }
        catch
        {
            main.Dispose();
            throw;
        }
    }

    /// <summary>flow_lm_flow on the step's condition, times and x, into its flow.</summary>
    private GraphBinding BindFlowNet(FlowStep step) =>
        new GraphBinding(_flow)
            .Input("c", step.Hidden.AsMemory(), 1, ModelDim)
            .Input("s", step.Times.AsMemory(0, 1), 1, 1)
            .Input("t", step.Times.AsMemory(1, 1), 1, 1)
            .Input("x", step.Sample.AsMemory(), 1, LatentDim)
            .Output("flow_dir", step.Flow.AsMemory(), _flowShape);

    private State Own(IFlowLmState state) => StageArguments.Own<State>(state, this, static s => s.Owner, "FlowLM");

    public void Dispose()
    {
        _main.Dispose();
        _flow.Dispose();
    }

    /// <summary>A stream's states and its bindings of the graphs to its buffers: a step makes no binding, tensor or buffer.</summary>
    private sealed class State : IFlowLmState
    {
        public State(CommunityFlowLmStage owner, int capacity, GraphStates states)
        {
            Owner = owner;
            Capacity = capacity;
            States = states;
            Step = new FlowStep(owner.LatentDim, owner.ModelDim);
            MainSteps = [owner.BindMain(this, 0, Step.Latent, 1, NoRows, 0), owner.BindMain(this, 1, Step.Latent, 1, NoRows, 0)];
            FlowNet = owner.BindFlowNet(Step);
        }

        public CommunityFlowLmStage Owner { get; }

        public GraphStates States { get; }

        public int Offset { get; set; }

        public int Capacity { get; }

        public FlowStep Step { get; }

        /// <summary>flow_lm_main for one latent row, per <see cref="GraphStates.Parity"/>.</summary>
        public GraphBinding[] MainSteps { get; }

        /// <summary>flow_lm_flow bound to <see cref="Step"/>'s buffers.</summary>
        public GraphBinding FlowNet { get; }

        public void Dispose()
        {
            foreach (GraphBinding binding in MainSteps)
                binding.Dispose();
            FlowNet.Dispose();
        }
    }
}
