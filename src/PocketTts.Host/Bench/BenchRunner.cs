using System.Diagnostics;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Model;
using PocketTts.Voices;
using PocketTts.Weights;

namespace PocketTts.Host.Bench;

/// <summary>Settings of one benchmark run.</summary>
internal sealed record BenchSettings(int Frames, int TextTokens, int Repetitions, int Threads, double VoiceSeconds = 5)
{
    /// <summary>
    /// Generations run at once in the concurrent measurement, as a server's clients run them (one model, each stream
    /// its own state, sharing the cores); 1 leaves that measurement out.
    /// </summary>
    public int Streams { get; init; } = 1;

    /// <summary>Also measure the latency of speech from text that is still arriving (<see cref="TextStreamLatency"/>).</summary>
    public bool TextStream { get; init; }

    /// <summary>The model measured (default: english).</summary>
    public BenchModel Model { get; init; } = BenchModel.Default;

    /// <summary>
    /// The sampling the user asked for (temperature, LSD steps, noise clamp); end of speech is always ignored, so that
    /// every run makes <see cref="Frames"/> frames.
    /// </summary>
    public GenerationOptions Sampling { get; init; } = new();
}

/// <summary>
/// Measures a full-size model (random weights with the real architecture of its configuration, loaded from files as
/// a user's model is) on one backend, through the library's public API: the voice prompt
/// (<see cref="PocketTtsModel.CreateVoiceState"/>), then a generation whose stages take turns, each stage timed by an
/// <see cref="IGenerationObserver"/>, then the pipeline end to end with the stages overlapping, after one warm-up
/// round; end of speech is ignored. With int8 (the reference's --quantize: FlowLM attention and FFN), it then
/// measures the quality against float32 too (<see cref="QuantizationQuality"/>), after the peak working set has been
/// read. With <see cref="BenchSettings.Streams"/> above 1, it also runs that many generations at once
/// (<see cref="ConcurrentStreams"/>); with <see cref="BenchSettings.TextStream"/>, it measures the latency of text
/// that arrives word by word (<see cref="TextStreamLatency"/>).
/// </summary>
internal static class BenchRunner
{
    private const int SampleRate = 24000;

    /// <summary>Where the synthetic model's files and what backends derive from them (exported graphs) are kept between runs.</summary>
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "pocket-tts-bench");

    // Teacher-forced steps of the int8 quality measurement: enough for a stable ratio, few enough to stay quick.
    private const int QualityFrames = 25;

    // Long enough for a stable peak, short enough to add little to a run.
    private static readonly TimeSpan PeakDuration = TimeSpan.FromSeconds(0.3);

    /// <param name="createBackend">Makes a fresh backend: each model loaded owns and disposes its own.</param>
    /// <param name="weights">The synthetic weights of <see cref="BenchSettings.Model"/>.</param>
    /// <param name="settings">What to measure.</param>
    /// <param name="quantize">Load the model with int8 layers.</param>
    public static BenchResult Run(Func<IBackend> createBackend, SyntheticWeights weights, BenchSettings settings, bool quantize = false)
    {
        ModelSource source = SyntheticModelFiles.Prepare(settings.Model, weights, Folder, quantize);
        (PocketTtsModel loaded, IBackend backend, double loadMs) = Load(createBackend, source);
        using PocketTtsModel model = loaded;

        var random = new Random(1);
        float[] audio = [.. Enumerable.Range(0, (int)(settings.VoiceSeconds * SampleRate)).Select(i => 0.3f * MathF.Sin(i * 0.05f) + 0.05f * (float)(random.NextDouble() - 0.5))];
        int[] tokens = [.. Enumerable.Range(0, settings.TextTokens).Select(_ => random.Next(4, 4000))];
        var plan = new SpeechPlan([new ChunkPlan("bench", tokens, framesAfterEos: 0, maxFrames: settings.Frames)]);
        GenerationOptions sampling = settings.Sampling with { EosThreshold = float.PositiveInfinity };

        var voice = new List<double>();
        var text = new List<double>();
        var step = new List<double>();
        var mimi = new List<double>();
        var first = new List<double>();
        var rtf = new List<double>();
        VoiceState voiceState = model.CreateVoiceState(audio, SampleRate);
        for (int round = 0; round <= settings.Repetitions; round++)
        {
            bool record = round > 0;   // round 0 warms up the JIT and the caches
            var clock = Stopwatch.StartNew();
            voiceState = model.CreateVoiceState(audio, SampleRate);
            double voiceMs = clock.Elapsed.TotalMilliseconds;
            StageTimes stages = StageTimes.Measure(model, plan, voiceState, sampling with { Seed = 1 });
            (double firstMs, double factor) = Pipeline(model, plan, voiceState, sampling with { Seed = 2 });
            if (!record)
                continue;
            voice.Add(voiceMs);
            text.Add(stages.TextPromptMs);
            step.Add(stages.FlowStepMs);
            mimi.Add(stages.MimiFrameMs);
            first.Add(firstMs);
            rtf.Add(factor);
        }
        ConcurrentStreams? streams = settings.Streams > 1 ? ConcurrentStreams.Measure(model, plan, voiceState, sampling, settings.Streams) : null;
        // End of speech at once and --frames after it: each chunk speaks about --frames frames, whatever the random
        // weights' end-of-speech logits say.
        TextStreamLatency? textStream = settings.TextStream
            ? TextStreamLatency.Measure(model, voiceState, settings.Sampling with { EosThreshold = float.NegativeInfinity, FramesAfterEos = settings.Frames }, settings.Repetitions)
            : null;
        var spread = new Dictionary<string, Measure>
        {
            ["voice_prompt_ms"] = Measure.Of(voice),
            ["text_prompt_ms"] = Measure.Of(text),
            ["flow_step_ms"] = Measure.Of(step),
            ["mimi_frame_ms"] = Measure.Of(mimi),
            ["first_chunk_ms"] = Measure.Of(first),
            ["rtf"] = Measure.Of(rtf),
        };
        double peakMb = PeakWorkingSet.Megabytes();
        // After the working set is read: the bandwidth buffer is the largest allocation of the run.
        MachinePeak peak = MachinePeak.Measure(backend.CpuKernels?.VectorBits, settings.Threads, PeakDuration);
        ModelConfig config = model.Config;
        var work = new StageWork(
            ModelWork.VoicePromptMultiplyAdds(config, audio.Length),
            ModelWork.TextPromptMultiplyAdds(config, voiceState.Length, tokens.Length),
            ModelWork.MimiFrameMultiplyAdds(config, settings.Frames),
            ModelWork.FlowStepBytes(weights, quantize ? QuantizationGroups.Recommended : QuantizationGroups.None));
        QuantizationQuality? quality = null;
        if (quantize)
        {
            using PocketTtsModel reference = LoadModel(source with { Quantize = false }, createBackend());
            quality = QuantizationQuality.Measure(reference, model, voiceState, tokens, Math.Min(QualityFrames, settings.Frames), seed: 3);
        }
        return new BenchResult
        {
            Backend = model.BackendName,
            Model = settings.Model.Name,
            Threads = settings.Threads,
            Quantized = quantize,
            Parameters = weights.Parameters,
            Frames = settings.Frames,
            TextTokens = settings.TextTokens,
            VoiceSeconds = settings.VoiceSeconds,
            LoadMs = loadMs,
            VoicePromptMs = spread["voice_prompt_ms"].Median,
            TextPromptMs = spread["text_prompt_ms"].Median,
            FlowStepMs = spread["flow_step_ms"].Median,
            MimiFrameMs = spread["mimi_frame_ms"].Median,
            FirstChunkMs = spread["first_chunk_ms"].Median,
            Rtf = spread["rtf"].Median,
            PeakWorkingSetMb = peakMb,
            Spread = spread,
            Kernels = backend.CpuKernels?.Description,
            Peak = peak,
            Work = work,
            Streams = streams,
            TextStream = textStream,
            Int8SnrDb = quality is null ? null : new Dictionary<string, double>
            {
                ["latent"] = quality.LatentSnrDb,
                ["hidden"] = quality.HiddenSnrDb,
                ["audio"] = quality.AudioSnrDb,
            },
        };
    }

    /// <summary>
    /// The model loaded from <paramref name="source"/> and how long that took. A stage backend exports its graphs on
    /// the first load: that one-time export is loaded once beforehand and is neither load time nor part of the peak
    /// working set, which is reset after the files and graphs are ready.
    /// </summary>
    private static (PocketTtsModel Model, IBackend Backend, double LoadMs) Load(Func<IBackend> createBackend, ModelSource source)
    {
        IBackend backend = createBackend();
        if (backend is IStageBackend)
        {
            LoadModel(source, backend).Dispose();
            backend = createBackend();
        }
        PeakWorkingSet.Reset();
        var load = Stopwatch.StartNew();
        PocketTtsModel model = LoadModel(source, backend);
        return (model, backend, load.Elapsed.TotalMilliseconds);
    }

    private static PocketTtsModel LoadModel(ModelSource source, IBackend backend) =>
        PocketTtsModel.LoadAsync(source, backend).GetAwaiter().GetResult();

    /// <summary>The generation end to end, the stages overlapping as they do for a user.</summary>
    internal static (double FirstChunkMs, double Rtf) Pipeline(PocketTtsModel model, SpeechPlan plan, VoiceState voice, GenerationOptions options)
    {
        var clock = Stopwatch.StartNew();
        double first = 0;
        long samples = 0;
        foreach (AudioChunk chunk in Drain(model.GenerateStreamingAsync(plan, voice, options)))
        {
            if (samples == 0)
                first = clock.Elapsed.TotalMilliseconds;
            samples += chunk.Samples.Length;
        }
        return (first, samples / (double)SampleRate / clock.Elapsed.TotalSeconds);
    }

    /// <summary>The chunks of a generation, waited for on this thread (bench measures, it serves no one meanwhile).</summary>
    internal static IEnumerable<AudioChunk> Drain(IAsyncEnumerable<AudioChunk> audio)
    {
        IAsyncEnumerator<AudioChunk> enumerator = audio.GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                yield return enumerator.Current;
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
