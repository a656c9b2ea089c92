using PocketTts.Graphs;
using PocketTts.Model.Graphs;
using PocketTts.Tensors;

namespace PocketTts.Model.FlowLm;

/// <summary>FlowLM's graphs: the voice projection, the backbone of prompts and steps, and one flow net evaluation.</summary>
internal sealed partial class FlowLmStage
{
    /// <summary>
    /// Records <see cref="StageGraphNames.FlowLmVoice"/>, <see cref="StageGraphNames.FlowLmMain"/> and
    /// <see cref="StageGraphNames.FlowNet"/> on the recorder the stage was built on. The LSD loop around the flow net
    /// is left to the runtime, one graph call per step.
    /// </summary>
    internal void RecordGraphs()
    {
        IGraphRecorder recorder = GraphRecording.Recorder(_backend);
        RecordVoice(recorder);
        RecordMain(recorder);
        RecordFlow(recorder);
    }

    /// <summary>latents [frames, SpeakerDim] → conditioning [frames, ModelDim]; and the BOS-before-voice row when the model has one.</summary>
    private void RecordVoice(IGraphRecorder recorder)
    {
        using ITensor latents = recorder.Allocate(new TensorShape(1, SpeakerDim));
        using ITensor conditioning = recorder.Allocate(new TensorShape(1, ModelDim));
        recorder.BeginGraph(StageGraphNames.FlowLmVoice);
        recorder.Input(latents, "latents", "frames");
        ProjectVoice(latents, conditioning);
        recorder.Output(conditioning, "conditioning", "frames");
        if (_bosBeforeVoice is not null)
        {
            using ITensor bos = recorder.Constant(_bosBeforeVoice, new TensorShape(1, ModelDim));
            recorder.Output(bos, "bos_before_voice");
        }
        recorder.EndGraph();
    }

    /// <summary>
    /// The backbone for prompts and steps alike, recorded on two conditioning rows and one latent row: conditioning
    /// rows then embedded latents → hidden (out_norm) and eos_logit for every row, with new cache rows. One graph
    /// holds the transformer's weights once.
    /// </summary>
    private void RecordMain(IGraphRecorder recorder)
    {
        const int conditioningRows = 2, latentRows = 1, rows = conditioningRows + latentRows;
        using FlowLmState state = NewState(GraphRecording.StateCapacity);
        using ITensor conditioning = recorder.Allocate(new TensorShape(conditioningRows, ModelDim));
        using ITensor latents = recorder.Allocate(new TensorShape(latentRows, LatentDim));
        using ITensor embedded = recorder.Allocate(new TensorShape(latentRows, ModelDim));
        using ITensor x = recorder.Allocate(new TensorShape(rows, ModelDim));
        using ITensor hidden = recorder.Allocate(new TensorShape(rows, ModelDim));
        using ITensor eos = recorder.Allocate(new TensorShape(rows, 1));
        recorder.BeginGraph(StageGraphNames.FlowLmMain);
        recorder.Input(conditioning, "conditioning", "conditioning_rows");
        recorder.Input(latents, "latents", "latent_rows");
        EmbedLatent(latents, embedded);
        recorder.CopySlice(conditioning, 0, 0, x, 0, conditioningRows);
        recorder.CopySlice(embedded, 0, 0, x, conditioningRows, latentRows);
        Transform(x, state);
        OutNorm(x, hidden);
        EosLogit(hidden, eos);
        recorder.Output(hidden, "hidden", "rows");
        recorder.Output(eos, "eos_logit", "rows");
        recorder.EndGraph();
    }

    /// <summary>condition [1, ModelDim], s and t [1, 1] (an LSD head only), x [1, LatentDim] → flow [1, LatentDim].</summary>
    private void RecordFlow(IGraphRecorder recorder)
    {
        using FlowNetWorkspace workspace = _flowNet.CreateWorkspace(rows: 1);
        using ITensor condition = recorder.Allocate(new TensorShape(1, ModelDim));
        using ITensor x = recorder.Allocate(new TensorShape(1, LatentDim));
        recorder.BeginGraph(StageGraphNames.FlowNet);
        recorder.Input(condition, "condition");
        if (_flowNet.TimeConditions > 0)
        {
            recorder.Input(workspace.S, "s");
            recorder.Input(workspace.T, "t");
        }
        recorder.Input(x, "x");
        _flowNet.EmbedCondition(condition, workspace);
        _flowNet.Forward(x, workspace, workspace.Flow);
        recorder.Output(workspace.Flow, "flow");
        recorder.EndGraph();
    }
}
