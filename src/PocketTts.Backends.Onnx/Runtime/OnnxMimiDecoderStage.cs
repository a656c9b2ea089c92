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

    public IMimiDecoderState CreateState() => new State(this, graph, new StreamState([graph], CacheRows));

    public void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio)
    {
        State s = StageArguments.Own<State>(state, this, static own => own.Owner, "decoder");
        StageArguments.DecodeFrame(this, latent, audio);
        latent.CopyTo(s.Latent);
        s.Stream.Run(graph, s.Frame, graph.CacheRowsPerCall);
        s.Audio.CopyTo(audio);
        s.FramesDecoded++;
    }

    public void Dispose() => graph.Dispose();

    /// <summary>A stream's state and its binding of the graph to its buffers: a frame makes no binding, tensor or buffer.</summary>
    private sealed class State : IMimiDecoderState
    {
        public State(OnnxMimiDecoderStage owner, OnnxGraph graph, StreamState stream)
        {
            Owner = owner;
            Stream = stream;
            Latent = new float[owner.LatentDim];
            Audio = new float[owner.FrameSamples];
            Frame = stream.Bind(graph)
                .Input("latent", Latent.AsMemory(), 1, owner.LatentDim)
                .Output("audio", Audio.AsMemory(), 1, owner.FrameSamples);
        }

        public OnnxMimiDecoderStage Owner { get; }

        public StreamState Stream { get; }

        public float[] Latent { get; }

        public float[] Audio { get; }

        /// <summary>The graph bound to <see cref="Latent"/>, <see cref="Audio"/> and the stream's states.</summary>
        public GraphBinding Frame { get; }

        public int FramesDecoded { get; set; }

        public void Reset()
        {
            Stream.Reset();
            FramesDecoded = 0;
        }

        public void Dispose() => Frame.Dispose();
    }
}
