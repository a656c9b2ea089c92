using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>
/// The adapter for community ONNX bundles (see <see cref="CommunityBundle"/>): the four stages on a bundle's graphs.
/// Its graphs carry every state themselves, the FlowLM caches included (fixed-length tensors, see
/// <see cref="FlowLmStateLayout"/>), as bundle.json's state manifests list them; their tensors have batch axes of 1.
/// The encoder takes the whole clip in one call and applies FlowLM's speaker_proj, so its latents are prompt rows.
/// </summary>
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
        int dim = bundle.ConditioningDim;

        using var opened = new OpenedGraphs(directory, options);
        OnnxGraph Graph(string name, StateEntry[] states, string manifest)
        {
            CarriedState[] carried = [.. states.Select((s, i) => s.Carried(i))];
            OnnxGraph graph = opened.Open(new GraphSignature(name, bundle.GraphFile(name, quantize), carried, [], null));
            foreach (StateEntry state in states)
            {
                Check(state, graph.InputMetadata(state.InputName), state.InputName, graph, manifest);
                Check(state, graph.OutputMetadata(state.OutputName), state.OutputName, graph, manifest);
            }
            return graph;
        }

        OnnxGraph text = Graph("text_conditioner", [], "");
        var textConditioner = new TextConditionerSignature(text, text.Input("token_ids"), text.Output("embeddings"), dim, tableRows);

        OnnxGraph main = Graph("flow_lm_main", bundle.FlowLmStates, "flow_lm_state_manifest"), flow = Graph("flow_lm_flow", [], "");
        var flowLm = new FlowLmSignature(
            main, main.Input("text_embeddings"), main.Input("sequence"), main.Output("conditioning"), main.Output("eos_logit"), HiddenOfEveryRow: false,
            flow, flow.Input("c"), flow.Input("s"), flow.Input("t"), flow.Input("x"), flow.Output("flow_dir"),
            Voice: null, bos, SpeakerDim: dim, layout);

        OnnxGraph encoder = Graph("mimi_encoder", [], "");
        var mimiEncoder = new MimiEncoderSignature(encoder, encoder, encoder.Input("audio"), encoder.Output("latents"), dim, ChunkFrames: null);

        OnnxGraph decoder = Graph("mimi_decoder", bundle.MimiStates, "mimi_state_manifest");
        var mimiDecoder = new MimiDecoderSignature(decoder, decoder.Input("latent"), decoder.Output("audio_frame"));

        var stages = new ModelStages(
            new OnnxTextConditionerStage(backendName, textConditioner),
            new OnnxFlowLmStage(backendName, flowLm, dim, bundle.LatentDim),
            new OnnxMimiEncoderStage(backendName, mimiEncoder, bundle.SamplesPerFrame),
            new OnnxMimiDecoderStage(backendName, mimiDecoder, bundle.LatentDim, bundle.SamplesPerFrame));
        opened.Keep();
        return stages;
    }

    /// <summary>Checks that <paramref name="graph"/> declares <paramref name="name"/> with the type and shape the manifest gives <paramref name="entry"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or declared otherwise; the message names the file, the state and both shapes.</exception>
    private static void Check(StateEntry entry, NodeMetadata? metadata, string name, OnnxGraph graph, string manifest)
    {
        if (metadata is null)
            throw new InvalidDataException($"{graph.FilePath} has no '{name}', which bundle.json's {manifest} names for {entry.Path}.");
        TensorElementType expected = entry.Dtype switch
        {
            StateDtype.Float32 => TensorElementType.Float,
            StateDtype.Int64 => TensorElementType.Int64,
            _ => TensorElementType.Bool,
        };
        int[] dims = metadata.Dimensions;
        bool shapeMatches = dims.Length == entry.Shape.Length && dims.Zip(entry.Shape).All(d => d.First < 0 || d.First == d.Second);
        if (metadata.ElementDataType != expected || !shapeMatches)
        {
            throw new InvalidDataException(
                $"{graph.FilePath} declares '{name}' as {metadata.ElementDataType} [{string.Join(", ", dims)}]; bundle.json's {manifest} gives {entry.Path} as {expected} [{string.Join(", ", entry.Shape)}].");
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
