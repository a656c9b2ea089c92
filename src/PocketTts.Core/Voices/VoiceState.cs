using PocketTts.Stages;

namespace PocketTts.Voices;

/// <summary>
/// A voice: the FlowLM caches after the voice prompt. Immutable; compute it once per voice and reuse it for any
/// number of concurrent generations, cache it, or save it with <c>PocketTtsModel.SaveVoiceState</c>
/// (the same safetensors layout the Python package writes).
/// </summary>
public sealed class VoiceState
{
    internal VoiceState(FlowLmSnapshot snapshot) => Snapshot = snapshot;

    /// <summary>Prompt positions held (BOS row plus one per 80 ms of voice audio).</summary>
    public int Length => Snapshot.Offset;

    /// <summary>Bytes the state holds in memory: the keys and values of every layer, as float32.</summary>
    public long MemoryBytes => 2L * Snapshot.Layers * Snapshot.Offset * Snapshot.Heads * Snapshot.HeadDim * sizeof(float);

    internal FlowLmSnapshot Snapshot { get; }
}
