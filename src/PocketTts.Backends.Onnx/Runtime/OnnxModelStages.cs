using Microsoft.ML.OnnxRuntime;
using PocketTts.Graphs;
using PocketTts.Graphs.Onnx;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The four stages on the graphs of an exported folder.</summary>
internal static class OnnxModelStages
{
    /// <summary>Opens every graph of <paramref name="manifest"/> (in <paramref name="directory"/>) in a session.</summary>
    /// <exception cref="InvalidDataException">A graph is missing or ONNX Runtime rejects it.</exception>
    public static ModelStages Open(string backendName, string directory, OnnxManifest manifest, SessionOptions options)
    {
        var opened = new List<OnnxGraph>();
        try
        {
            OnnxGraph Graph(string name)
            {
                var graph = new OnnxGraph(directory, manifest.Graph(name), options);
                opened.Add(graph);
                return graph;
            }
            StageGraphSettings settings = manifest.Settings;
            OnnxGraph encoderNext = Graph("mimi_encoder");
            int encoderLatentDim = encoderNext.Spec.Outputs.Single(o => o.Name == "latents").Shape[1];
            return new ModelStages(
                new OnnxTextConditionerStage(backendName, settings.ModelDim, settings.TableRows, Graph("text_conditioner")),
                new OnnxFlowLmStage(backendName, settings, Graph("flow_lm_voice"), Graph("flow_lm_main"), Graph("flow_net")),
                new OnnxMimiEncoderStage(backendName, settings, Graph("mimi_encoder_first"), encoderNext, encoderLatentDim),
                new OnnxMimiDecoderStage(backendName, settings, Graph("mimi_decoder")));
        }
        catch
        {
            foreach (OnnxGraph graph in opened)
                graph.Dispose();
            throw;
        }
    }
}
