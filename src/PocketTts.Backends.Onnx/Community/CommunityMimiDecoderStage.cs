using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// The streaming Mimi decoder on a community <c>mimi_decoder</c> graph: <c>latent</c> [1, 1, latent] (normalised
/// FlowLM space; the graph applies emb_std and emb_mean) plus the states of mimi_state_manifest →
/// <c>audio_frame</c> (one frame) plus the updated states.
/// </summary>
internal sealed class CommunityMimiDecoderStage : IMimiDecoderStage
{
    private readonly StateEntry[] _states;
    private readonly OnnxGraph _graph;
    private readonly long[] _audioShape;

    public CommunityMimiDecoderStage(string backendName, CommunityBundle bundle, OnnxGraph graph)
    {
        BackendName = backendName;
        LatentDim = bundle.LatentDim;
        FrameSamples = bundle.SamplesPerFrame;
        _states = bundle.MimiStates;
        _graph = graph;
        _audioShape = CommunityGraph.OutputShape(graph, "audio_frame", FrameSamples);
    }

    public string BackendName { get; }

    public int LatentDim { get; }

    public int FrameSamples { get; }

    public IMimiDecoderState CreateState() => new State(this, new GraphStates(_states));

    /// <summary>The graph on a state's latent and audio buffers, its states at <paramref name="parity"/>.</summary>
    private GraphBinding BindFrame(State s, int parity)
    {
        var frame = new GraphBinding(_graph);
        try
        {
            frame.Input("latent", s.Latent.AsMemory(), 1, 1, LatentDim)
                .Output("audio_frame", s.Audio.AsMemory(), _audioShape);
            return s.States.Bind(frame, parity);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    public void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio)
    {
        State s = StageArguments.Own<State>(state, this, static own => own.Owner, "decoder");
        StageArguments.DecodeFrame(this, latent, audio);
        latent.CopyTo(s.Latent);
        s.Frames[s.States.Parity].Run();
        s.States.Swap();
        s.Audio.CopyTo(audio);
        s.FramesDecoded++;
    }

    public void Dispose() => _graph.Dispose();

    /// <summary>A stream's states and its bindings of the graph, one per <see cref="GraphStates.Parity"/>: a frame makes no binding, tensor or buffer.</summary>
    private sealed class State : IMimiDecoderState
    {
        public State(CommunityMimiDecoderStage owner, GraphStates states)
        {
            Owner = owner;
            States = states;
            Latent = new float[owner.LatentDim];
            Audio = new float[owner.FrameSamples];
            Frames = [owner.BindFrame(this, 0), owner.BindFrame(this, 1)];
        }

        public CommunityMimiDecoderStage Owner { get; }

        public GraphStates States { get; }

        public float[] Latent { get; }

        public float[] Audio { get; }

        public GraphBinding[] Frames { get; }

        public int FramesDecoded { get; set; }

        public void Reset()
        {
            States.Reset();
            FramesDecoded = 0;
        }

        public void Dispose()
        {
            foreach (GraphBinding frame in Frames)
                frame.Dispose();
        }
    }
}
