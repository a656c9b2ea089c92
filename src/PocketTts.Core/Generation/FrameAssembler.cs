using System.Buffers;
using System.Diagnostics;
using PocketTts.Stages;

namespace PocketTts.Generation;

/// <summary>
/// The Mimi side of generation: decodes latent messages, in order, and places the frames (<see cref="FramePlacement"/>:
/// fades and silences). Each text chunk starts from a fresh decoder state. One instance per generation, used by one
/// thread at a time.
/// </summary>
internal sealed class FrameAssembler(
    IMimiDecoderStage mimi, IReadOnlyList<PlanItem> plan, int sampleRate, GenerationRules rules, IGenerationObserver? observer = null) : IDisposable
{
    private readonly IMimiDecoderState _state = mimi.CreateState();
    private readonly FramePlacement _placement = new(plan, mimi.FrameSamples, sampleRate, rules);

    /// <summary>Decodes <paramref name="message"/>, appends the chunks now final to <paramref name="ready"/> and returns its latent to the pool.</summary>
    public void Accept(LatentMessage message, List<AudioChunk> ready)
    {
        try
        {
            if (_placement.Enter(message.Item, ready))
                _state.Reset();
            if (plan[message.Item] is SilencePlan)
            {
                _placement.Silence(message.Item, ready);
                return;
            }
            var samples = new float[mimi.FrameSamples];
            long start = Stopwatch.GetTimestamp();
            mimi.DecodeFrame(_state, message.Latent.AsSpan(0, mimi.LatentDim), samples);
            observer?.FrameDecoded(Stopwatch.GetElapsedTime(start));
            _placement.Speech(message.Item, message.Frame, samples, ready);
        }
        finally
        {
            Release(message);
        }
    }

    /// <summary>Appends what is still held back, after the last message.</summary>
    public void Finish(List<AudioChunk> ready) => _placement.Finish(ready);

    /// <summary>Returns a message's latent to the pool without decoding it (a generation that stopped early).</summary>
    public static void Release(LatentMessage message)
    {
        if (message.Latent is not null)
            ArrayPool<float>.Shared.Return(message.Latent);
    }

    public void Dispose() => _state.Dispose();
}
