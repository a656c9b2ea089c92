using Microsoft.ML.OnnxRuntime;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// The graphs an adapter has opened so far: disposed together when opening the rest fails, handed over to the stages
/// (<see cref="Keep"/>) when it succeeds.
/// </summary>
internal sealed class OpenedGraphs(string directory, SessionOptions options) : IDisposable
{
    private readonly List<OnnxGraph> _graphs = [];

    /// <summary>Opens the graph <paramref name="signature"/> describes.</summary>
    public OnnxGraph Open(GraphSignature signature)
    {
        var graph = new OnnxGraph(directory, signature, options);
        _graphs.Add(graph);
        return graph;
    }

    /// <summary>The stages own the graphs now.</summary>
    public void Keep() => _graphs.Clear();

    public void Dispose()
    {
        foreach (OnnxGraph graph in _graphs)
            graph.Dispose();
    }
}
