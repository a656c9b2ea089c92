using Microsoft.ML.OnnxRuntime;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>The four stages on the graphs of a community ONNX bundle (see <see cref="CommunityBundle"/>).</summary>
internal static class CommunityModelStages
{
    /// <summary>
    /// Reads the bundle in <paramref name="directory"/> and opens its graphs (the <c>*_int8.onnx</c> ones where
    /// <paramref name="quantize"/> and present), checking each stateful graph against its state manifest.
    /// </summary>
    /// <exception cref="InvalidDataException">bundle.json, bos_before_voice.npy, the tokenizer or a graph is malformed or
    /// disagrees with the others; the message names the file and the problem.</exception>
    /// <exception cref="FileNotFoundException">A file of the bundle is missing.</exception>
    public static ModelStages Open(string backendName, string directory, bool quantize, SessionOptions options)
    {
        CommunityBundle bundle = CommunityBundle.Load(directory);
        FlowLmStateLayout layout = FlowLmStateLayout.From(bundle.FlowLmStates, bundle.ManifestPath);
        float[]? bos = bundle.BosBeforeVoice();
        int tableRows = TableRows(bundle);

        var opened = new List<OnnxGraph>();
        try
        {
            OnnxGraph Graph(string name, string[] inputs, string[] outputs)
            {
                OnnxGraph graph = CommunityGraph.Open(bundle, name, quantize, options, inputs, outputs);
                opened.Add(graph);
                return graph;
            }
            OnnxGraph text = Graph("text_conditioner", ["token_ids"], ["embeddings"]);
            OnnxGraph main = Graph("flow_lm_main", ["sequence", "text_embeddings"], ["conditioning", "eos_logit"]);
            GraphStates.Check(bundle.FlowLmStates, main, CommunityGraph.PathOf(main, bundle), "flow_lm_state_manifest");
            OnnxGraph flow = Graph("flow_lm_flow", ["c", "s", "t", "x"], ["flow_dir"]);
            OnnxGraph encoder = Graph("mimi_encoder", ["audio"], ["latents"]);
            OnnxGraph decoder = Graph("mimi_decoder", ["latent"], ["audio_frame"]);
            GraphStates.Check(bundle.MimiStates, decoder, CommunityGraph.PathOf(decoder, bundle), "mimi_state_manifest");
            return new ModelStages(
                new OnnxTextConditionerStage(backendName, bundle.ConditioningDim, tableRows, text, idsBatched: true,
                                             embeddingsBatched: text.OutputMetadata("embeddings")!.Dimensions.Length == 3),
                new CommunityFlowLmStage(backendName, bundle, layout, bos, main, flow),
                new CommunityMimiEncoderStage(backendName, bundle.SamplesPerFrame, bundle.ConditioningDim, encoder, CommunityGraph.PathOf(encoder, bundle)),
                new CommunityMimiDecoderStage(backendName, bundle, decoder));
        }
        catch
        {
            foreach (OnnxGraph graph in opened)
                graph.Dispose();
            throw;
        }
    }

    /// <summary>The text table's rows: the bundle tokenizer's vocabulary plus the padding row (LUTConditioner's n_bins + 1).</summary>
    private static int TableRows(CommunityBundle bundle)
    {
        string path = Path.Combine(bundle.Directory, bundle.TokenizerFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{bundle.ManifestPath}: tokenizer_file {path} is missing.", path);
        return SentencePieceVocabulary.Count(path) + 1;
    }
}
