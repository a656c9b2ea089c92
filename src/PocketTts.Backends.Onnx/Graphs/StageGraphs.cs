using Google.Protobuf;
using PocketTts.Backends.Onnx.Manifest;
using PocketTts.Config;
using PocketTts.Model.Conditioning;
using PocketTts.Model.FlowLm;
using PocketTts.Model.Mimi;
using PocketTts.Stages;
using PocketTts.Tensors;
using DataType = PocketTts.Backends.Onnx.Protos.TensorProto.Types.DataType;

namespace PocketTts.Backends.Onnx.Graphs;

/// <summary>
/// Exports the stage graphs of a model: the stages are built on a <see cref="GraphRecorder"/> from the same model
/// definition every tensor backend runs, and each graph records the body of one stage method on the stage's own
/// state tensors. Only the text conditioner's graph is written directly (its input is token ids, not a tensor).
/// </summary>
internal static class StageGraphs
{
    /// <summary>Positions of the throw-away states the graphs are recorded on (the graphs themselves do not depend on it).</summary>
    private const int RecordingCapacity = 64;

    /// <summary>Records every graph of <paramref name="stages"/> (built on <paramref name="recorder"/>) into <paramref name="directory"/>.</summary>
    public static OnnxManifest Export(GraphRecorder recorder, ModelStages stages, ModelConfig config, string directory, string source, bool quantized)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(directory);
        var text = (TextConditionerStage)stages.TextConditioner;
        var flowLm = (FlowLmStage)stages.FlowLm;
        var encoder = (MimiEncoderStage)stages.MimiEncoder;
        var decoder = (MimiDecoderStage)stages.MimiDecoder;
        var graphs = new Dictionary<string, GraphSpec>();
        void Save(RecordedGraph graph)
        {
            using (FileStream file = File.Create(Path.Combine(directory, graph.Spec.File)))
                graph.Model.WriteTo(file);
            graphs[graph.Spec.Name] = graph.Spec;
        }

        Save(TextConditioner(text));
        Save(Voice(recorder, flowLm));
        Save(Main(recorder, flowLm));
        Save(Flow(recorder, flowLm));
        foreach (RecordedGraph graph in Encoder(recorder, encoder))
            Save(graph);
        Save(Decoder(recorder, decoder));

        var settings = new ModelSettings(
            flowLm.ModelDim, flowLm.LatentDim, flowLm.SpeakerDim, flowLm.Layers, flowLm.Heads, flowLm.HeadDim, flowLm.HasBosBeforeVoice,
            text.TableRows, decoder.FrameSamples, MimiEncoderStage.ChunkFrames, quantized, flowLm.FlowNet.Type == FlowType.Drifting);
        var manifest = new OnnxManifest(OnnxManifest.FormatName, OnnxManifest.CurrentVersion, source, settings, graphs);
        manifest.Save(directory);
        return manifest;
    }

    /// <summary>token_ids int64 [tokens] → embeddings [tokens, EmbeddingDim]: a Gather from the table.</summary>
    private static RecordedGraph TextConditioner(TextConditionerStage stage)
    {
        var g = new GraphBuilder("text_conditioner");
        g.Input("token_ids", DataType.Int64, "tokens");
        string table = g.Floats("embed", GraphRecorder.ConstantValues(stage.Table), stage.TableRows, stage.EmbeddingDim);
        g.NodeTo("Gather", [table, "token_ids"], "embeddings");
        g.Output("embeddings", DataType.Float, "tokens", (long)stage.EmbeddingDim);
        var spec = new GraphSpec(g.Name, g.Name + ".onnx", [], [new TensorSpec("embeddings", [-1, stage.EmbeddingDim])], [], [], null);
        return new RecordedGraph(g.ToModel(), spec);
    }

    /// <summary>latents [frames, SpeakerDim] → conditioning [frames, ModelDim]; and the BOS-before-voice row when the model has one.</summary>
    private static RecordedGraph Voice(GraphRecorder recorder, FlowLmStage stage)
    {
        using ITensor latents = recorder.Allocate(new TensorShape(1, stage.SpeakerDim));
        using ITensor conditioning = recorder.Allocate(new TensorShape(1, stage.ModelDim));
        recorder.Begin("flow_lm_voice");
        recorder.Input(latents, "latents", "frames");
        stage.ProjectVoice(latents, conditioning);
        recorder.Output(conditioning, "conditioning", "frames");
        if (stage.HasBosBeforeVoice)
        {
            using ITensor bos = recorder.Constant(stage.BosBeforeVoice, new TensorShape(1, stage.ModelDim));
            recorder.Output(bos, "bos_before_voice");
        }
        return recorder.End();
    }

    /// <summary>
    /// The FlowLM backbone for prompts and steps alike: conditioning rows [c, ModelDim] then embedded latents
    /// [s, LatentDim] (NaN = BOS) at position → hidden [c + s, ModelDim] (out_norm), eos_logit [c + s, 1], new cache
    /// rows. A prompt passes no latent, a step no conditioning; one graph holds the transformer's weights once.
    /// </summary>
    private static RecordedGraph Main(GraphRecorder recorder, FlowLmStage stage)
    {
        const int conditioningRows = 2, latentRows = 1, rows = conditioningRows + latentRows;
        using var state = (FlowLmState)stage.CreateState(RecordingCapacity);
        using ITensor conditioning = recorder.Allocate(new TensorShape(conditioningRows, stage.ModelDim));
        using ITensor latents = recorder.Allocate(new TensorShape(latentRows, stage.LatentDim));
        using ITensor embedded = recorder.Allocate(new TensorShape(latentRows, stage.ModelDim));
        using ITensor x = recorder.Allocate(new TensorShape(rows, stage.ModelDim));
        using ITensor hidden = recorder.Allocate(new TensorShape(rows, stage.ModelDim));
        using ITensor eos = recorder.Allocate(new TensorShape(rows, 1));
        recorder.Begin("flow_lm_main");
        recorder.Input(conditioning, "conditioning", "conditioning_rows");
        recorder.Input(latents, "latents", "latent_rows");
        stage.EmbedLatent(latents, embedded);
        recorder.CopySlice(conditioning, 0, 0, x, 0, conditioningRows);
        recorder.CopySlice(embedded, 0, 0, x, conditioningRows, latentRows);
        stage.Transform(x, state);
        stage.OutNorm(x, hidden);
        stage.EosLogit(hidden, eos);
        recorder.Output(hidden, "hidden", "rows");
        recorder.Output(eos, "eos_logit", "rows");
        return recorder.End();
    }

    /// <summary>
    /// One evaluation of the flow net: condition [1, ModelDim], s, t [1, 1] (an LSD head only), x [1, LatentDim] →
    /// flow [1, LatentDim] (a drifting head's latent).
    /// </summary>
    private static RecordedGraph Flow(GraphRecorder recorder, FlowLmStage stage)
    {
        FlowNet net = stage.FlowNet;
        using FlowNetWorkspace workspace = net.CreateWorkspace(rows: 1);
        using ITensor condition = recorder.Allocate(new TensorShape(1, stage.ModelDim));
        using ITensor x = recorder.Allocate(new TensorShape(1, stage.LatentDim));
        recorder.Begin("flow_net");
        recorder.Input(condition, "condition");
        if (net.TimeConditions > 0)
        {
            recorder.Input(workspace.S, "s");
            recorder.Input(workspace.T, "t");
        }
        recorder.Input(x, "x");
        net.EmbedCondition(condition, workspace);
        net.Forward(x, workspace, workspace.Flow);
        recorder.Output(workspace.Flow, "flow");
        return recorder.End();
    }

    /// <summary>
    /// audio [1, chunk samples] → latents [chunk frames, LatentDim], with streaming state. The first chunk has its own
    /// graph (the downsampling's replicate padding starts from it); it must also return every state the next chunks
    /// read, which is known once they are recorded, so it is recorded again after them.
    /// </summary>
    private static RecordedGraph[] Encoder(GraphRecorder recorder, MimiEncoderStage stage)
    {
        int frames = MimiEncoderStage.ChunkFrames, samples = frames * stage.FrameSamples;
        using StreamingSequence.State state = stage.Encoder.CreateState(samples);
        using ITensor audio = recorder.Allocate(new TensorShape(1, samples));
        using ITensor latents = recorder.Allocate(new TensorShape(stage.LatentDim, frames));
        using ITensor transposed = recorder.Allocate(new TensorShape(frames, stage.LatentDim));
        RecordedGraph Chunk(string name, IEnumerable<int>? carried)
        {
            recorder.Begin(name);
            recorder.Input(audio, "audio");
            stage.Encoder.Forward(audio, latents, state);
            recorder.Transpose(latents, transposed);
            recorder.Output(transposed, "latents");
            return recorder.End(carried);
        }

        Chunk("mimi_encoder_first", null);
        RecordedGraph next = Chunk("mimi_encoder", null);
        state.Reset();
        RecordedGraph first = Chunk("mimi_encoder_first", next.Spec.States.Where(s => s.Input is not null).Select(s => s.Id));
        return [first, next];
    }

    /// <summary>latent [1, LatentDim] (FlowLM space) → audio [1, FrameSamples], with streaming state and windowed caches.</summary>
    private static RecordedGraph Decoder(GraphRecorder recorder, MimiDecoderStage stage)
    {
        using var state = (MimiDecoderState)stage.CreateState();
        recorder.Begin("mimi_decoder");
        recorder.Input(state.Latent, "latent");
        stage.DecodeLatent(state);
        recorder.Output(state.Audio, "audio");
        return recorder.End();
    }
}
