using PocketTts.Graphs;
using PocketTts.Model.Graphs;

namespace PocketTts.Model.Mimi;

/// <summary>The Mimi decoder's graph: one frame.</summary>
internal sealed partial class MimiDecoderStage
{
    /// <summary>
    /// Records <see cref="StageGraphNames.MimiDecoder"/> on the recorder the stage was built on: the computation of
    /// <see cref="DecodeFrame"/> on a state's tensors, latent [1, LatentDim] → audio [1, FrameSamples].
    /// </summary>
    internal void RecordGraph()
    {
        IGraphRecorder recorder = GraphRecording.Recorder(_backend);
        using var state = new MimiDecoderState(this, _backend, _dims);
        recorder.BeginGraph(StageGraphNames.MimiDecoder);
        recorder.Input(state.Latent, "latent");
        DecodeLatent(state);
        recorder.Output(state.Audio, "audio");
        recorder.EndGraph();
    }
}
