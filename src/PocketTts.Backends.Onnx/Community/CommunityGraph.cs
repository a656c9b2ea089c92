using Microsoft.ML.OnnxRuntime;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Graphs.Onnx;

namespace PocketTts.Backends.Onnx.Community;

/// <summary>One graph of a community bundle in a session, with the checks of its interface that the stages rely on.</summary>
internal static class CommunityGraph
{
    /// <summary>Opens graph <paramref name="name"/> of <paramref name="bundle"/> (its int8 file when asked and present).</summary>
    /// <exception cref="FileNotFoundException">The graph file is missing.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime rejects it, or it lacks one of <paramref name="inputs"/> or <paramref name="outputs"/>.</exception>
    public static OnnxGraph Open(CommunityBundle bundle, string name, bool quantize, SessionOptions options, string[] inputs, string[] outputs)
    {
        string file = bundle.GraphFile(name, quantize);
        var graph = new OnnxGraph(bundle.Directory, new GraphSpec(name, file, [], [], [], [], null), options);
        try
        {
            foreach (string input in inputs)
            {
                if (graph.InputMetadata(input) is null)
                    throw new InvalidDataException($"{PathOf(graph, bundle)} has no input '{input}'; a community {name} graph takes {string.Join(", ", inputs)}.");
            }
            foreach (string output in outputs)
            {
                if (graph.OutputMetadata(output) is null)
                    throw new InvalidDataException($"{PathOf(graph, bundle)} has no output '{output}'; a community {name} graph returns {string.Join(", ", outputs)}.");
            }
            return graph;
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>The graph file's full path, for messages.</summary>
    public static string PathOf(OnnxGraph graph, CommunityBundle bundle) => Path.Combine(bundle.Directory, graph.Spec.File);

    /// <summary>
    /// The shape to bind output <paramref name="name"/> with: its declared rank, ones in front of
    /// <paramref name="last"/> (the exporter's outputs carry batch and row axes of size 1, e.g. <c>[1, 1, 1920]</c>).
    /// </summary>
    public static long[] OutputShape(OnnxGraph graph, string name, long last)
    {
        int rank = Math.Max(1, graph.OutputMetadata(name)!.Dimensions.Length);
        var shape = new long[rank];
        shape.AsSpan().Fill(1);
        shape[^1] = last;
        return shape;
    }
}
