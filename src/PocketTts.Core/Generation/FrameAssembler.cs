using System.Buffers;
using System.Diagnostics;
using PocketTts.Audio;
using PocketTts.Stages;

namespace PocketTts.Generation;

/// <summary>
/// The Mimi side of generation: turns latent messages, in order, into audio chunks. Each text chunk starts from a
/// fresh decoder state, whose first samples get the reference's linear fade-in (<see cref="GenerationRules.FadeInSamples"/>);
/// a pause becomes frame-sized chunks of zeros; speech next to a pause is faded (<see cref="SpeechFade"/>). One instance
/// per generation, used by one thread at a time.
/// </summary>
internal sealed class FrameAssembler(
    IMimiDecoderStage mimi, IReadOnlyList<PlanItem> plan, int sampleRate, GenerationRules rules, IGenerationObserver? observer = null) : IDisposable
{
    private readonly IMimiDecoderState _state = mimi.CreateState();
    private readonly int _fade = SpeechFade.Length(sampleRate);

    // torch.linspace(0, 1, n) of the reference's decoder worker, applied to the first samples a fresh state decodes.
    private readonly float[] _fadeIn = LinearRamp.Create(rules.FadeInSamples, 0f, 1f);
    private int _currentItem = -1;

    // The last frame of a chunk that a pause follows is only known to be last when the next message arrives, so each
    // frame of such a chunk waits for its successor before it goes out.
    private AudioChunk? _pending;

    /// <summary>Decodes <paramref name="message"/>, appends the chunks now final to <paramref name="ready"/> and returns its latent to the pool.</summary>
    public void Accept(LatentMessage message, List<AudioChunk> ready)
    {
        try
        {
            if (message.Item != _currentItem)
            {
                FlushPending(ready);
                _state.Reset();
                _currentItem = message.Item;
            }
            if (plan[message.Item] is SilencePlan silence)
            {
                for (int frame = 0, written = 0; written < silence.Samples; frame++, written += mimi.FrameSamples)
                    ready.Add(new AudioChunk(new float[Math.Min(mimi.FrameSamples, silence.Samples - written)], sampleRate, message.Item, frame));
                return;
            }

            var samples = new float[mimi.FrameSamples];
            long start = Stopwatch.GetTimestamp();
            mimi.DecodeFrame(_state, message.Latent.AsSpan(0, mimi.LatentDim), samples);
            observer?.FrameDecoded(Stopwatch.GetElapsedTime(start));
            if (message.Frame == 0)
            {
                for (int i = 0; i < Math.Min(_fadeIn.Length, samples.Length); i++)
                    samples[i] *= _fadeIn[i];
            }
            if (message.Frame == 0 && message.Item > 0 && plan[message.Item - 1] is SilencePlan)
                SpeechFade.In(samples, _fade);
            AudioChunk? done = new AudioChunk(samples, sampleRate, message.Item, message.Frame) { Text = ((ChunkPlan)plan[message.Item]).Text };
            if (message.Item + 1 < plan.Count && plan[message.Item + 1] is SilencePlan)
                (done, _pending) = (_pending, done);
            if (done is not null)
                ready.Add(done);
        }
        finally
        {
            Release(message);
        }
    }

    /// <summary>Appends what is still held back, after the last message.</summary>
    public void Finish(List<AudioChunk> ready) => FlushPending(ready);

    /// <summary>Returns a message's latent to the pool without decoding it (a generation that stopped early).</summary>
    public static void Release(LatentMessage message)
    {
        if (message.Latent is not null)
            ArrayPool<float>.Shared.Return(message.Latent);
    }

    public void Dispose() => _state.Dispose();

    private void FlushPending(List<AudioChunk> ready)
    {
        if (_pending is null)
            return;
        SpeechFade.Out(_pending.Samples, _fade);
        ready.Add(_pending);
        _pending = null;
    }
}
