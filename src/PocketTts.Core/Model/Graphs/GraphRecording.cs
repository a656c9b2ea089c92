using PocketTts.Graphs;
using PocketTts.Tensors;

namespace PocketTts.Model.Graphs;

/// <summary>What every stage's recording of its graphs shares.</summary>
internal static class GraphRecording
{
    /// <summary>Positions of the throw-away states the FlowLM graph is recorded on (the graph does not depend on it).</summary>
    public const int StateCapacity = 64;

    /// <summary>The recorder a stage was built on: a stage records its graphs by running its own operations on it.</summary>
    /// <exception cref="InvalidOperationException">The stage was built on a backend that computes.</exception>
    public static IGraphRecorder Recorder(ITensorBackend backend) =>
        backend as IGraphRecorder ?? throw new InvalidOperationException($"Graphs are recorded on an IGraphRecorder; this stage runs on '{backend.Name}'.");
}
