using PocketTts.Generation;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>Replays the flow noise the reference recorded, one row per frame, ignoring std and clamp (already applied).</summary>
public sealed class RecordedNoise(IReadOnlyList<float[]> rows) : INoiseSource
{
    private int _next;

    /// <summary>Rows handed out so far.</summary>
    public int Used => _next;

    public void Fill(Span<float> noise, float std, float? clamp)
    {
        if (_next >= rows.Count)
            throw new InvalidOperationException($"The generation asked for noise row {_next}, but the reference recorded only {rows.Count}.");
        rows[_next++].CopyTo(noise);
    }
}
