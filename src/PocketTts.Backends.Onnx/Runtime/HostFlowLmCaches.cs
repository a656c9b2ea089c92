using PocketTts.Stages;

namespace PocketTts.Backends.Onnx.Runtime;

/// <summary>The caches of this project's graphs: one <see cref="OnnxKvCache"/> per layer, on the host.</summary>
internal sealed class HostFlowLmCaches(int layers, int heads, int headDim) : IFlowLmCaches
{
    public int Layers { get; } = layers;

    public int Heads { get; } = heads;

    public int HeadDim { get; } = headDim;

    public int? MaxCapacity => null;

    public void Load(StreamState stream, FlowLmSnapshot snapshot)
    {
        IReadOnlyList<OnnxKvCache> caches = stream.Caches;
        for (int i = 0; i < Layers; i++)
            caches[i].Load(snapshot.Offset, snapshot.Keys[i], snapshot.Values[i]);
    }

    public FlowLmSnapshot Save(StreamState stream, int offset)
    {
        int length = offset * Heads * HeadDim;
        IReadOnlyList<OnnxKvCache> caches = stream.Caches;
        var keys = new float[Layers][];
        var values = new float[Layers][];
        for (int i = 0; i < Layers; i++)
        {
            keys[i] = caches[i].Keys.AsSpan(0, length).ToArray();
            values[i] = caches[i].Values.AsSpan(0, length).ToArray();
        }
        return new FlowLmSnapshot(offset, Heads, HeadDim, keys, values);
    }
}
