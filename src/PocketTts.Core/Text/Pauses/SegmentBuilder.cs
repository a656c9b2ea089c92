namespace PocketTts.Text.Pauses;

/// <summary>
/// Collects segments under the rules every producer shares: speech is trimmed and dropped when empty; adjacent
/// pauses merge (sum, clamped to the maximum); a pause that merges to zero vanishes and the speech around it is
/// joined with a space, so no zero-length silence and no two speech segments in a row are ever emitted.
/// </summary>
internal sealed class SegmentBuilder(TimeSpan maxPause)
{
    private readonly List<TextSegment> _segments = [];
    private TimeSpan? _pendingPause;

    public void AddPause(TimeSpan duration)
    {
        TimeSpan sum = (_pendingPause ?? TimeSpan.Zero) + duration;
        _pendingPause = sum > maxPause ? maxPause : sum;
    }

    public void AddSpeech(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
            return;
        if (_pendingPause == TimeSpan.Zero && _segments is [.., SpeechSegment previous])
        {
            _segments[^1] = new SpeechSegment(string.Concat(previous.Text, " ", text));
            _pendingPause = null;
            return;
        }
        FlushPause();
        _segments.Add(new SpeechSegment(text.ToString()));
    }

    public void Add(TextSegment segment)
    {
        switch (segment)
        {
            case SpeechSegment speech: AddSpeech(speech.Text); break;
            case PauseSegment pause: AddPause(pause.Duration); break;
            default: throw new ArgumentException($"Unknown segment type {segment.GetType()}.", nameof(segment));
        }
    }

    public List<TextSegment> Build()
    {
        FlushPause();
        return _segments;
    }

    private void FlushPause()
    {
        if (_pendingPause > TimeSpan.Zero)
            _segments.Add(new PauseSegment(_pendingPause.Value));
        _pendingPause = null;
    }
}
