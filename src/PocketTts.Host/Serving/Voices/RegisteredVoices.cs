using PocketTts.Voices;

namespace PocketTts.Host.Serving.Voices;

/// <summary>
/// The voices registered by <c>POST /v1/audio/voices</c>, bounded in number and in the memory their states hold:
/// registering past either limit evicts the least recently used voices (a request that names a voice uses it).
/// Without the bounds, any client could fill the server's memory with voices that live until it stops. Thread-safe.
/// </summary>
internal sealed class RegisteredVoices(int maxCount, long maxBytes)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<Entry> _recency = new();   // most recently used first
    private readonly Lock _lock = new();
    private long _bytes;

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
                return [.. _byName.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public bool Contains(string name)
    {
        lock (_lock)
            return _byName.ContainsKey(name);
    }

    /// <summary>The voice registered under <paramref name="name"/>, which becomes the most recently used.</summary>
    public bool TryGet(string name, out VoiceState? state)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out LinkedListNode<Entry>? node))
            {
                state = null;
                return false;
            }
            _recency.Remove(node);
            _recency.AddFirst(node);
            state = node.Value.State;
            return true;
        }
    }

    /// <summary>Registers or replaces a voice, then evicts the least recently used others until both limits hold.</summary>
    /// <exception cref="ApiException">413 when this one state alone is larger than the byte limit.</exception>
    public void Add(string name, VoiceState state)
    {
        if (state.MemoryBytes > maxBytes)
        {
            throw new ApiException(Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge,
                $"The voice state takes {state.MemoryBytes / (1024.0 * 1024):0.#} MiB, more than registered voices may take in all ({maxBytes / (1024.0 * 1024):0.#} MiB, --max-registered-voices-mb): use a shorter sample.",
                "file", "voice_too_large");
        }
        lock (_lock)
        {
            Remove(name);
            _byName[name] = _recency.AddFirst(new Entry(name, state));
            _bytes += state.MemoryBytes;
            while (_byName.Count > maxCount || _bytes > maxBytes)
                Remove(_recency.Last!.Value.Name);
        }
    }

    private void Remove(string name)
    {
        if (!_byName.Remove(name, out LinkedListNode<Entry>? node))
            return;
        _recency.Remove(node);
        _bytes -= node.Value.State.MemoryBytes;
    }

    private sealed record Entry(string Name, VoiceState State);
}
