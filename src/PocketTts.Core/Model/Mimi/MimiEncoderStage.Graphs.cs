using PocketTts.Graphs;
using PocketTts.Model.Graphs;
using PocketTts.Tensors;

namespace PocketTts.Model.Mimi;

/// <summary>The Mimi encoder's graphs: one chunk of <see cref="ChunkFrames"/> frames, the first chunk apart.</summary>
internal sealed partial class MimiEncoderStage
{
    /// <summary>
    /// Records <see cref="StageGraphNames.MimiEncoderFirst"/> and <see cref="StageGraphNames.MimiEncoder"/> on the
    /// recorder the stage was built on: audio [1, chunk samples] → latents [chunk frames, LatentDim], with streaming
    /// state. The first chunk has its own graph (the downsampling's replicate padding starts from it); it must also
    /// output every state the next chunks read, which is known once they are recorded, so it is recorded again after
    /// them.
    /// </summary>
    internal void RecordGraphs()
    {
        IGraphRecorder recorder = GraphRecording.Recorder(_backend);
        int samples = ChunkFrames * FrameSamples;
        using StreamingSequence.State state = Encoder.CreateState(samples);
        using ITensor audio = recorder.Allocate(new TensorShape(1, samples));
        using ITensor latents = recorder.Allocate(new TensorShape(LatentDim, ChunkFrames));
        using ITensor transposed = recorder.Allocate(new TensorShape(ChunkFrames, LatentDim));
        IReadOnlyCollection<int> Chunk(string name, IEnumerable<int>? carried)
        {
            recorder.BeginGraph(name);
            recorder.Input(audio, "audio");
            Encoder.Forward(audio, latents, state);
            recorder.Transpose(latents, transposed);
            recorder.Output(transposed, "latents");
            return recorder.EndGraph(carried);
        }

        Chunk(StageGraphNames.MimiEncoderFirst, null);
        IReadOnlyCollection<int> nextReads = Chunk(StageGraphNames.MimiEncoder, null);
        state.Reset();
        Chunk(StageGraphNames.MimiEncoderFirst, nextReads);
    }
}
