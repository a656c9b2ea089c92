namespace PocketTts.Tensors;

/// <summary>
/// Keys and values of one attention layer for one stream, owned by the backend that created it with
/// <see cref="ITensorBackend.CreateKvCache"/>. A cache does not know the current position: the caller
/// (the stage's state) owns the offset and passes it to <see cref="ITensorBackend.Attention"/>.
/// </summary>
public interface IKvCache : IDisposable
{
    /// <summary>Heads.</summary>
    int Heads { get; }

    /// <summary>Features per head.</summary>
    int HeadDim { get; }

    /// <summary>Number of positions the cache can hold.</summary>
    int Capacity { get; }

    /// <summary>
    /// When set, the cache is a ring of <see cref="Capacity"/> slots and attention sees only the last
    /// <c>Window</c> positions (Mimi's 250-step context); when null, positions are stored linearly and
    /// the capacity bounds the sequence (FlowLM).
    /// </summary>
    int? Window { get; }
}
