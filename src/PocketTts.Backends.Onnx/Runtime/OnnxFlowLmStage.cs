using PocketTts.Backends.Onnx.Manifest;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// FlowLM on the <c>flow_lm_voice</c>, <c>flow_lm_main</c> and <c>flow_net</c> graphs. The
/// caches live on the host (<see cref="OnnxKvCache"/>); the LSD loop runs here, one flow net call per step, with the
/// same float arithmetic as <c>LsdDecode</c>.
/// </summary>
internal sealed class OnnxFlowLmStage : IFlowLmStage
{
    private readonly ModelSettings _settings;
    private readonly OnnxGraph _voice;
    private readonly OnnxGraph _main;
    private readonly OnnxGraph _flow;

    public OnnxFlowLmStage(string backendName, ModelSettings settings, OnnxGraph voice, OnnxGraph main, OnnxGraph flow)
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
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Layers != Layers || snapshot.Heads != Heads || snapshot.HeadDim != HeadDim)
        {
            throw new ArgumentException(
                $"The snapshot has {snapshot.Layers} layers × {snapshot.Heads} heads × {snapshot.HeadDim} features; this model has {Layers} × {Heads} × {HeadDim}.",
                nameof(snapshot));
        }
        if (capacity < snapshot.Offset)
            throw new ArgumentOutOfRangeException(nameof(capacity), $"Capacity {capacity} cannot hold the snapshot's {snapshot.Offset} positions.");
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
        if (latents.Length % speakerDim != 0)
            throw new ArgumentException($"Voice latents hold {latents.Length} values, not whole frames of {speakerDim}.", nameof(latents));
        int frames = latents.Length / speakerDim, rows = VoicePromptRows(frames);
        if (conditioning.Length != rows * ModelDim)
            throw new ArgumentException($"The voice prompt of {frames} frames is [{rows}, {ModelDim}] ({rows * ModelDim} values); the destination holds {conditioning.Length}.", nameof(conditioning));
        var input = latents.ToArray();
        var output = new float[Math.Max(1, rows) * ModelDim];
        using var call = new GraphCall();
        call.Input("latents", input.AsMemory(), frames, speakerDim)
            .Output("conditioning", output.AsMemory((rows - frames) * ModelDim, frames * ModelDim), frames, ModelDim);
        if (HasBosBeforeVoice)
            call.Output("bos_before_voice", output.AsMemory(0, ModelDim), 1, ModelDim);
        call.Run(_voice);
        output.AsSpan(0, rows * ModelDim).CopyTo(conditioning);
    }

    public void Prompt(IFlowLmState state, ReadOnlySpan<float> conditioning, Span<float> lastHidden)
    {
        State s = Own(state);
        if (conditioning.IsEmpty || conditioning.Length % ModelDim != 0)
            throw new ArgumentException($"A prompt is [rows ≥ 1, {ModelDim}]; got {conditioning.Length} values.", nameof(conditioning));
        if (!lastHidden.IsEmpty && lastHidden.Length != ModelDim)
            throw new ArgumentException($"lastHidden must be empty or hold {ModelDim} values, got {lastHidden.Length}.", nameof(lastHidden));
        int rows = conditioning.Length / ModelDim;
        if (s.Offset + rows > s.Capacity)
            throw new InvalidOperationException($"The state holds {s.Capacity} positions; {s.Offset} are used and the prompt has {rows} rows.");
        var input = conditioning.ToArray();
        var hidden = new float[rows * ModelDim];
        var eos = new float[rows];
        using (var call = new GraphCall())
        {
            call.Input("conditioning", input, rows, ModelDim)
                .Input("latents", s.Latent.AsMemory(0, 0), 0, LatentDim)
                .Output("hidden", hidden, rows, ModelDim)
                .Output("eos_logit", eos, rows, 1);
            s.Stream.Run(_main, call, rows);
        }
        if (!lastHidden.IsEmpty)
            hidden.AsSpan((rows - 1) * ModelDim, ModelDim).CopyTo(lastHidden);
    }

    public float SampleNextLatent(IFlowLmState state, ReadOnlySpan<float> inputLatent, ReadOnlySpan<float> noise, int lsdSteps, Span<float> outputLatent, Span<float> hidden)
    {
        State s = Own(state);
        RequireLength(inputLatent.Length, LatentDim, nameof(inputLatent));
        RequireLength(noise.Length, LatentDim, nameof(noise));
        RequireLength(outputLatent.Length, LatentDim, nameof(outputLatent));
        if (!hidden.IsEmpty && hidden.Length != ModelDim)
            throw new ArgumentException($"hidden must be empty or hold {ModelDim} values, got {hidden.Length}.", nameof(hidden));
        ArgumentOutOfRangeException.ThrowIfLessThan(lsdSteps, 1);
        if (s.Offset + 1 > s.Capacity)
            throw new InvalidOperationException($"The state is full: it holds {s.Capacity} positions.");

        inputLatent.CopyTo(s.Latent);
        using (var call = new GraphCall())
        {
            call.Input("conditioning", s.Hidden.AsMemory(0, 0), 0, ModelDim)
                .Input("latents", s.Latent, 1, LatentDim)
                .Output("hidden", s.Hidden, 1, ModelDim)
                .Output("eos_logit", s.EosLogit, 1, 1);
            s.Stream.Run(_main, call, rows: 1);
        }

        // LSD decoding as LsdDecode does it: x += flow(s = i/N, t = (i+1)/N) · (1/N), from the noise.
        float[] x = s.Sample;
        noise.CopyTo(x);
        float scale = 1f / lsdSteps;
        for (int i = 0; i < lsdSteps; i++)
        {
            s.Times[0] = (float)((double)i / lsdSteps);
            s.Times[1] = (float)((double)(i + 1) / lsdSteps);
            using (var call = new GraphCall())
            {
                call.Input("condition", s.Hidden, 1, ModelDim)
                    .Input("s", s.Times.AsMemory(0, 1), 1, 1)
                    .Input("t", s.Times.AsMemory(1, 1), 1, 1)
                    .Input("x", x, 1, LatentDim)
                    .Output("flow", s.Flow, 1, LatentDim)
                    .Run(_flow);
            }
            for (int j = 0; j < x.Length; j++)
                x[j] += s.Flow[j] * scale;
        }
        x.CopyTo(outputLatent);
        if (!hidden.IsEmpty)
            s.Hidden.CopyTo(hidden);
        return s.EosLogit[0];
    }

    private State Own(IFlowLmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state is State s && s.Owner == this
            ? s
            : throw new ArgumentException("The state was not created by this FlowLM stage.", nameof(state));
    }

    private static void RequireLength(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentException($"{name} must hold {expected} values, got {length}.", name);
    }

    public void Dispose()
    {
        _voice.Dispose();
        _main.Dispose();
        _flow.Dispose();
    }

    private sealed class State(OnnxFlowLmStage owner, int capacity, StreamState stream) : IFlowLmState
    {
        public OnnxFlowLmStage Owner { get; } = owner;

        public StreamState Stream { get; } = stream;

        public int Offset => Stream.Position;

        public int Capacity { get; } = capacity;

        public float[] Latent { get; } = new float[owner.LatentDim];

        public float[] Hidden { get; } = new float[owner.ModelDim];

        public float[] EosLogit { get; } = new float[1];

        public float[] Sample { get; } = new float[owner.LatentDim];

        public float[] Flow { get; } = new float[owner.LatentDim];

        /// <summary>The flow net's s and t.</summary>
        public float[] Times { get; } = new float[2];

        public void Dispose()
        {
        }
    }
}
