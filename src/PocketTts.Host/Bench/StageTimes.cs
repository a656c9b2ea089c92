using PocketTts.Generation;
using PocketTts.Voices;

namespace PocketTts.Host.Bench;

/// <summary>
/// Each stage's time in one generation whose stages take turns (<see cref="GenerationOptions.OverlapStages"/> off), so
/// that no stage shares the cores with the other: the text prompt, and the medians of the FlowLM steps and the Mimi
/// frames, as the library's <see cref="IGenerationObserver"/> reports them.
/// </summary>
internal sealed record StageTimes(double TextPromptMs, double FlowStepMs, double MimiFrameMs)
{
    public static StageTimes Measure(PocketTtsModel model, SpeechPlan plan, VoiceState voice, GenerationOptions options)
    {
        var observer = new Observer();
        foreach (AudioChunk _ in BenchRunner.Drain(model.GenerateStreamingAsync(plan, voice, options with { OverlapStages = false, Observer = observer })))
        {
        }
        return new StageTimes(observer.TextPromptMs, Bench.Measure.Of(observer.StepMs).Median, Bench.Measure.Of(observer.FrameMs).Median);
    }

    // Stages taking turns call it from one thread at a time.
    private sealed class Observer : IGenerationObserver
    {
        public double TextPromptMs { get; private set; }

        public List<double> StepMs { get; } = [];

        public List<double> FrameMs { get; } = [];

        public void TextPrompted(int tokens, TimeSpan elapsed) => TextPromptMs += elapsed.TotalMilliseconds;

        public void LatentSampled(TimeSpan elapsed) => StepMs.Add(elapsed.TotalMilliseconds);

        public void FrameDecoded(TimeSpan elapsed) => FrameMs.Add(elapsed.TotalMilliseconds);
    }
}
