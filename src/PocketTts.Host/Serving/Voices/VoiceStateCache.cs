using PocketTts.Voices;

namespace PocketTts.Host.Serving.Voices;

/// <summary>
/// The voice states the server keeps, keyed by content (a SHA-256 of the voice's bytes, or a predefined voice's
/// name and language), least recently used evicted first. Concurrent requests for the same key share one
/// computation; a failed computation is not kept. Thread-safe.
/// </summary>
internal sealed class VoiceStateCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly Lock _lock = new();
    private long _hits;
    private long _misses;

    private sealed record Entry(string Key, Task<VoiceState> State);

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>Lookups that found the state (or its computation under way).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that started a computation.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public async Task<VoiceState> GetOrAddAsync(string key, Func<Task<VoiceState>> compute)
    {
        Task<VoiceState> task;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                task = node.Value.State;
                _hits++;
            }
            else
            {
                _misses++;
                task = compute();
                _entries[key] = _recency.AddFirst(new Entry(key, task));
                while (_entries.Count > capacity)
                {
                    LinkedListNode<Entry> oldest = _recency.Last!;
                    _recency.RemoveLast();
                    _entries.Remove(oldest.Value.Key);
                }
            }
        }
        try
        {
            return await task;
        }
        catch
        {
            Remove(key, task);
            throw;
        }
    }

    private void Remove(string key, Task<VoiceState> failed)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node) && node.Value.State == failed)
            {
                _entries.Remove(key);
                _recency.Remove(node);
            }
        }
    }
}
