using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The streaming Mimi decoder on one graph (<see cref="MimiDecoderSignature"/>): one latent → one frame of audio.</summary>
internal sealed class OnnxMimiDecoderStage(string backendName, MimiDecoderSignature graphs, int latentDim, int frameSamples) : IMimiDecoderStage
{
    // Windowed caches: room for many frames beyond the window, so the rows move to the front rarely.
    private const int CacheRows = 2048;

    public string BackendName { get; } = backendName;

    public int LatentDim { get; } = latentDim;

    public int FrameSamples { get; } = frameSamples;

    public IMimiDecoderState CreateState() => new State(this, new StreamState([graphs.Graph], CacheRows));

    public void DecodeFrame(IMimiDecoderState state, ReadOnlySpan<float> latent, Span<float> audio)
    {
        State s = StageArguments.Own<State>(state, this, static own => own.Owner, "decoder");
        StageArguments.DecodeFrame(this, latent, audio);
        latent.CopyTo(s.Latent);
        s.Stream.Run(s.Frame, graphs.Graph.Signature.CacheRowsPerCall);
        s.Audio.CopyTo(audio);
        s.FramesDecoded++;
    }

    /// <summary>The graph on a stream's states and its latent and audio buffers.</summary>
    private StreamCall BindFrame(StreamState stream, float[] latent, float[] audio) =>
        stream.Bind(graphs.Graph)
            .Input(graphs.Latent, latent.AsMemory(), LatentDim)
            .Output(graphs.Audio, audio.AsMemory(), FrameSamples);

    public void Dispose() => graphs.Graph.Dispose();

    /// <summary>A stream's state and its binding of the graph to its buffers: a frame makes no binding, tensor or buffer.</summary>
    private sealed class State : IMimiDecoderState
    {
        public State(OnnxMimiDecoderStage owner, StreamState stream)
        {
            Owner = owner;
            Stream = stream;
            Latent = new float[owner.LatentDim];
            Audio = new float[owner.FrameSamples];
            Frame = owner.BindFrame(stream, Latent, Audio);
        }

        public OnnxMimiDecoderStage Owner { get; }

        public StreamState Stream { get; }

        public float[] Latent { get; }

        public float[] Audio { get; }

        /// <summary>The graph bound to <see cref="Latent"/>, <see cref="Audio"/> and the stream's states.</summary>
        public StreamCall Frame { get; }

        public int FramesDecoded { get; set; }

        public void Reset()
        {
            Stream.Reset();
            FramesDecoded = 0;
        }

        public void Dispose() => Frame.Dispose();
    }
}
