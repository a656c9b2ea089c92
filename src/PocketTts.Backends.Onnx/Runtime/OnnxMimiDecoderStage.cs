using PocketTts.Graphs;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The streaming Mimi decoder on the <c>mimi_decoder</c> graph: one latent → one frame of audio.</summary>
internal sealed class OnnxMimiDecoderStage(string backendName, StageGraphSettings settings, OnnxGraph graph) : IMimiDecoderStage
{
    // Windowed caches: room for many frames beyond the window, so the rows move to the front rarely.
    private const int CacheRows = 2048;

    public string BackendName { get; } = backendName;

    public int LatentDim => settings.LatentDim;

    public int FrameSamples => settings.FrameSamples;

    public IMimiDecoderState CreateState() => new State(this, new StreamState([graph], CacheRows));

    public void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio)
    {
        State s = StageArguments.Own<State>(state, this, static own => own.Owner, "decoder");
        StageArguments.DecodeFrame(this, latent, audio);
        latent.CopyTo(s.Latent);
        using (var call = new GraphCall())
        {
            call.Input("latent", s.Latent, 1, LatentDim)
                .Output("audio", s.Audio, 1, FrameSamples);
            s.Stream.Run(graph, call, graph.CacheRowsPerCall);
        }
        s.Audio.CopyTo(audio);
        s.FramesDecoded++;
    }

    public void Dispose() => graph.Dispose();

    private sealed class State(OnnxMimiDecoderStage owner, StreamState stream) : IMimiDecoderState
    {
        public OnnxMimiDecoderStage Owner { get; } = owner;

        public StreamState Stream { get; } = stream;

        public float[] Latent { get; } = new float[owner.LatentDim];

        public float[] Audio { get; } = new float[owner.FrameSamples];

        public int FramesDecoded { get; set; }

        public void Reset()
        {
            Stream.Reset();
            FramesDecoded = 0;
        }

        public void Dispose()
        {
        }
    }
}
