using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// FlowLM on a transformer graph and a flow net graph (<see cref="FlowLmSignature"/>). The LSD loop runs here, one
/// flow net call per step, with the same float arithmetic as <c>LsdDecode</c> (a drifting head: one call, as
/// <c>DriftingDecode</c>).
/// </summary>
internal sealed class OnnxFlowLmStage(string backendName, FlowLmSignature graphs, int modelDim, int latentDim) : IFlowLmStage
{
    public string BackendName { get; } = backendName;

    public int ModelDim { get; } = modelDim;

    public int LatentDim { get; } = latentDim;

    public int Layers => graphs.Caches.Layers;

    public int Heads => graphs.Caches.Heads;

    public int HeadDim => graphs.Caches.HeadDim;

    public bool HasBosBeforeVoice => graphs.Voice is { } voice ? voice.BosBeforeVoice is not null : graphs.BosBeforeVoice is not null;

    private bool DriftingHead => graphs.S is null;

    public IFlowLmState CreateState(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (capacity > graphs.Caches.MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"The {graphs.Main.Signature.Name} graph's caches hold {graphs.Caches.MaxCapacity} positions (fixed at export); a state of {capacity} positions does not fit. Use shorter text chunks or voice prompts, or this project's own ONNX export.");
        }
        return new State(this, capacity, new StreamState([graphs.Main], capacity));
    }

    public IFlowLmState CreateState(FlowLmSnapshot snapshot, int capacity)
    {
        StageArguments.Snapshot(this, snapshot, capacity);
        var state = (State)CreateState(capacity);
        graphs.Caches.Load(state.Stream, snapshot);
        state.Offset = snapshot.Offset;
        return state;
    }

    public FlowLmSnapshot Snapshot(IFlowLmState state)
    {
        State s = Own(state);
        return graphs.Caches.Save(s.Stream, s.Offset);
    }

    public int VoicePromptRows(int latentFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latentFrames);
        return latentFrames + (HasBosBeforeVoice ? 1 : 0);
    }

    public void ConditionVoice(ReadOnlySpan<float> latents, Span<float> conditioning)
    {
        int frames = StageArguments.ConditionVoice(this, graphs.SpeakerDim, latents, conditioning), rows = VoicePromptRows(frames);
        if (graphs.Voice is not { } voice)
        {
            // The latents are prompt rows already (a community encoder applies speaker_proj): only the BOS row is left.
            graphs.BosBeforeVoice?.CopyTo(conditioning);
            latents.CopyTo(conditioning[((rows - frames) * ModelDim)..]);
            return;
        }
        var input = latents.ToArray();
        var output = new float[Math.Max(1, rows) * ModelDim];
        using var call = new GraphBinding(voice.Graph);
        call.Input(voice.Latents, input.AsMemory(), frames, graphs.SpeakerDim)
            .Output(voice.Conditioning, output.AsMemory((rows - frames) * ModelDim, frames * ModelDim), frames, ModelDim);
        if (voice.BosBeforeVoice is { } bos)
            call.Output(bos, output.AsMemory(0, ModelDim), 1, ModelDim);
        call.Run();
        output.AsSpan(0, rows * ModelDim).CopyTo(conditioning);
    }

    public void Prompt(IFlowLmState state, ReadOnlySpan<float> conditioning, Span<float> lastHidden)
    {
        State s = Own(state);
        int rows = StageArguments.Prompt(this, conditioning, lastHidden);
        s.Reserve(rows);

        // A graph that returns out_norm of the first row only gets the last row alone in a second call when its
        // out_norm is wanted: the caches end the same, appended in two pieces.
        int split = lastHidden.IsEmpty || graphs.HiddenOfEveryRow ? rows : rows - 1;
        if (split > 0)
            RunPrompt(s, conditioning[..(split * ModelDim)], split, split == rows ? lastHidden : []);
        if (split < rows)
            RunPrompt(s, conditioning[(split * ModelDim)..], 1, lastHidden);
    }

    /// <summary>One transformer call on <paramref name="rows"/> prompt rows; <paramref name="lastHidden"/>, when wanted, gets the out_norm the graph returns last.</summary>
    private void RunPrompt(State s, ReadOnlySpan<float> conditioning, int rows, Span<float> lastHidden)
    {
        int hiddenRows = graphs.HiddenOfEveryRow ? rows : 1;
        var input = conditioning.ToArray();
        var hidden = new float[hiddenRows * ModelDim];
        var eos = new float[hiddenRows];
        using (StreamCall call = s.Stream.Bind(graphs.Main))
        {
            call.Input(graphs.Text, input.AsMemory(), rows, ModelDim)
                .Input(graphs.Latents, s.Step.Latent.AsMemory(0, 0), 0, LatentDim)
                .Output(graphs.Hidden, hidden.AsMemory(), hiddenRows, ModelDim)
                .Output(graphs.Eos, eos.AsMemory(), hiddenRows, 1);
            s.Stream.Run(call, rows);
        }
        s.Offset += rows;
        if (!lastHidden.IsEmpty)
            hidden.AsSpan((hiddenRows - 1) * ModelDim, ModelDim).CopyTo(lastHidden);
    }

    /// <remarks>Runs on the state's own bindings: a step makes no binding, tensor or buffer.</remarks>
    public float SampleNextLatent(IFlowLmState state, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden)
    {
        State s = Own(state);
        StageArguments.SampleNextLatent(this, inputLatent, noise, lsdSteps, outputLatent, hidden);
        s.Reserve(1);
        FlowStep step = s.Step;
        inputLatent.CopyTo(step.Latent);
        s.Stream.Run(s.MainStep, rows: 1);
        s.Offset++;
        if (DriftingHead)
            step.DecodeDrifting(noise, s.FlowNet);
        else
            step.Decode(noise, lsdSteps, s.FlowNet);
        return step.Finish(outputLatent, hidden);
    }

    /// <summary>A transformer step on the state's step buffers: one latent in, no prompt rows; out_norm and the EOS logit out.</summary>
    private StreamCall BindStep(StreamState stream, FlowStep step)
    {
        StreamCall main = stream.Bind(graphs.Main);
        return main.Input(graphs.Text, step.Hidden.AsMemory(0, 0), 0, ModelDim)
            .Input(graphs.Latents, step.Latent.AsMemory(), 1, LatentDim)
            .Output(graphs.Hidden, step.Hidden.AsMemory(), 1, ModelDim)
            .Output(graphs.Eos, step.EosLogit.AsMemory(), 1, 1);
    }

    /// <summary>The flow net on the step's condition and x; an LSD head's graph also takes s and t, a drifting head's does not.</summary>
    private GraphBinding BindFlowNet(FlowStep step)
    {
        var flow = new GraphBinding(graphs.Flow);
        flow.Input(graphs.Condition, step.Hidden.AsMemory(), 1, ModelDim);
        if (graphs.S is { } s && graphs.T is { } t)
        {
            flow.Input(s, step.Times.AsMemory(0, 1), 1, 1)
                .Input(t, step.Times.AsMemory(1, 1), 1, 1);
        }
        return flow.Input(graphs.X, step.Sample.AsMemory(), 1, LatentDim)
            .Output(graphs.Direction, step.Flow.AsMemory(), 1, LatentDim);
    }

    private State Own(IFlowLmState state) => StageArguments.Own<State>(state, this, static s => s.Owner, "FlowLM");

    public void Dispose()
    {
        graphs.Voice?.Graph.Dispose();
        graphs.Main.Dispose();
        graphs.Flow.Dispose();
    }

    /// <summary>A stream's state and its bindings of the graphs to its step buffers: a step makes no binding, tensor or buffer.</summary>
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

        public int Offset { get; set; }

        public int Capacity { get; }

        public FlowStep Step { get; }

        /// <summary>The transformer bound to <see cref="Step"/>'s buffers for one latent row.</summary>
        public StreamCall MainStep { get; }

        /// <summary>The flow net bound to <see cref="Step"/>'s buffers.</summary>
        public GraphBinding FlowNet { get; }

        /// <summary>Checks that <paramref name="rows"/> more positions fit.</summary>
        public void Reserve(int rows)
        {
            if (Offset + rows > Capacity)
                throw new InvalidOperationException($"The FlowLM state is full: {Offset} positions written, {rows} more requested, capacity {Capacity}.");
        }

        public void Dispose()
        {
            MainStep.Dispose();
            FlowNet.Dispose();
        }
    }
}
