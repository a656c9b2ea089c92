using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>
/// Where a FlowLM stream keeps its attention caches, so that a voice snapshot can be read out of it and written into
/// it: host caches that the graph reads as views (<see cref="HostFlowLmCaches"/>), or state tensors of a fixed
/// length that the graph carries itself (a community bundle's <see cref="Community.FlowLmStateLayout"/>).
/// </summary>
internal interface IFlowLmCaches
{
    int Layers { get; }

    int Heads { get; }

    int HeadDim { get; }

    /// <summary>The most positions a state can hold, or null when the caches are sized by the state's capacity.</summary>
    int? MaxCapacity { get; }

    /// <summary>Writes <paramref name="snapshot"/>'s rows (positions 0 … offset − 1) into a fresh <paramref name="stream"/>.</summary>
    void Load(StreamState stream, FlowLmSnapshot snapshot);

    /// <summary>The first <paramref name="offset"/> rows of every layer's keys and values.</summary>
    FlowLmSnapshot Save(StreamState stream, int offset);
}
