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

    public void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio)
    {
        State s = StageArguments.Own<State>(state, this, static own => own.Owner, "decoder");
        StageArguments.DecodeFrame(this, latent, audio);
        latent.CopyTo(s.Latent);
        using (var call = new GraphCall())
        {
            call.Input("latent", s.Latent, 1, 1, LatentDim)
                .Output("audio_frame", s.Audio, _audioShape);
            s.States.Bind(call);
            call.Run(_graph);
        }
        s.States.Swap();
        s.Audio.CopyTo(audio);
        s.FramesDecoded++;
    }

    public void Dispose() => _graph.Dispose();

    private sealed class State(CommunityMimiDecoderStage owner, GraphStates states) : IMimiDecoderState
    {
        public CommunityMimiDecoderStage Owner { get; } = owner;

        public GraphStates States { get; } = states;

        public float[] Latent { get; } = new float[owner.LatentDim];

        public float[] Audio { get; } = new float[owner.FrameSamples];

        public int FramesDecoded { get; set; }

        public void Reset()
        {
            States.Reset();
            FramesDecoded = 0;
        }

        public void Dispose()
        {
        }
    }
}
