using PocketTts.Audio;

namespace PocketTts.Generation;

/// <summary>
/// Where decoded frames go, in plan order: the first samples of each text chunk (a fresh decoder state) get the
/// reference's linear fade-in (<see cref="GenerationRules.FadeInSamples"/>); a pause becomes frame-sized chunks of
/// zeros; speech next to a pause is faded (<see cref="SpeechFade"/>). It decodes nothing, so that any engine's decoder,
/// synchronous or not, feeds it. One instance per generation, used by one thread at a time.
/// </summary>
internal sealed class FramePlacement(IReadOnlyList<PlanItem> plan, int frameSamples, int sampleRate, GenerationRules rules)
{
    private readonly int _fade = SpeechFade.Length(sampleRate);

    // torch.linspace(0, 1, n) of the reference's decoder worker, applied to the first samples a fresh state decodes.
    private readonly float[] _fadeIn = LinearRamp.Create(rules.FadeInSamples, 0f, 1f);
    private int _currentItem = -1;

    // The last frame of a chunk that a pause follows is only known to be last when the next message arrives, so each
    // frame of such a chunk waits for its successor before it goes out.
    private AudioChunk? _pending;

    /// <summary>
    /// Moves to plan item <paramref name="item"/>; true when it is a new item, whose speech the caller decodes from a
    /// fresh decoder state. Appends to <paramref name="ready"/> what the move makes final.
    /// </summary>
    public bool Enter(int item, List<AudioChunk> ready)
    {
        if (item == _currentItem)
            return false;
        FlushPending(ready);
        _currentItem = item;
        return true;
    }

    /// <summary>Appends the silence of plan item <paramref name="item"/> (a <see cref="SilencePlan"/>) as frame-sized chunks.</summary>
    public void Silence(int item, List<AudioChunk> ready)
    {
        var silence = (SilencePlan)plan[item];
        for (int frame = 0, written = 0; written < silence.Samples; frame++, written += frameSamples)
            ready.Add(new AudioChunk(new float[Math.Min(frameSamples, silence.Samples - written)], sampleRate, item, frame));
    }

    /// <summary>Places decoded frame <paramref name="frame"/> of text chunk <paramref name="item"/> (faded in place), appending what is final.</summary>
    public void Speech(int item, int frame, float[] samples, List<AudioChunk> ready)
    {
        if (frame == 0)
        {
            for (int i = 0; i < Math.Min(_fadeIn.Length, samples.Length); i++)
                samples[i] *= _fadeIn[i];
        }
        if (frame == 0 && item > 0 && plan[item - 1] is SilencePlan)
            SpeechFade.In(samples, _fade);
        AudioChunk? done = new AudioChunk(samples, sampleRate, item, frame) { Text = ((ChunkPlan)plan[item]).Text };
        if (item + 1 < plan.Count && plan[item + 1] is SilencePlan)
            (done, _pending) = (_pending, done);
        if (done is not null)
            ready.Add(done);
    }

    /// <summary>Appends what is still held back, after the last frame.</summary>
    public void Finish(List<AudioChunk> ready) => FlushPending(ready);

    private void FlushPending(List<AudioChunk> ready)
    {
        if (_pending is null)
            return;
        SpeechFade.Out(_pending.Samples, _fade);
        ready.Add(_pending);
        _pending = null;
    }
}
