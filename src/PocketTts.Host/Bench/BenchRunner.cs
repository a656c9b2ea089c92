using System.Diagnostics;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Model;
using PocketTts.Model.Graphs;
using PocketTts.Stages;
using PocketTts.Tensors;
using PocketTts.Weights;

namespace PocketTts.Host.Bench;

/// <summary>Settings of one benchmark run.</summary>
internal sealed record BenchSettings(int Frames, int TextTokens, int Repetitions, int Threads, double VoiceSeconds = 5)
{
    /// <summary>The model measured (default: english).</summary>
    public BenchModel Model { get; init; } = BenchModel.Default;
}

/// <summary>
/// Measures a full-size model (random weights with the real architecture of its configuration) on one backend: each stage
/// alone, then the producer/decoder pipeline end to end with end of speech ignored, after one warm-up round. With
/// int8 (the reference's --quantize: FlowLM attention and FFN), it then measures the quality against float32 too
/// (<see cref="QuantizationQuality"/>), after the peak working set has been read.
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

    public static BenchResult Run(IBackend backend, SyntheticWeights weights, BenchSettings settings, bool quantize = false)
    {
        (IModelStages loaded, double loadMs, Func<IModelStages> floatReference) = Load(backend, settings.Model, weights, quantize);
        using IModelStages stages = loaded;

        var random = new Random(1);
        float[] audio = [.. Enumerable.Range(0, (int)(settings.VoiceSeconds * SampleRate)).Select(i => 0.3f * MathF.Sin(i * 0.05f) + 0.05f * (float)(random.NextDouble() - 0.5))];
        int[] tokens = [.. Enumerable.Range(0, settings.TextTokens).Select(_ => random.Next(4, 4000))];

        var voice = new List<double>();
        var text = new List<double>();
        var step = new List<double>();
        var mimi = new List<double>();
        var first = new List<double>();
        var rtf = new List<double>();
        FlowLmSnapshot snapshot = VoicePrompt(stages, audio, out _);
        for (int round = 0; round <= settings.Repetitions; round++)
        {
            bool record = round > 0;   // round 0 warms up the JIT and the caches
            snapshot = VoicePrompt(stages, audio, out double voiceMs);
            (double textMs, double stepMs, double mimiMs) = Stages(stages, snapshot, tokens, settings.Frames);
            (double firstMs, double factor) = Pipeline(stages, snapshot, tokens, settings.Frames);
            if (!record)
                continue;
            voice.Add(voiceMs);
            text.Add(textMs);
            step.Add(stepMs);
            mimi.Add(mimiMs);
            first.Add(firstMs);
            rtf.Add(factor);
        }
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
        ModelConfig config = ModelConfigLoader.LoadLanguage("english");
        var work = new StageWork(
            BenchWork.VoicePromptMultiplyAdds(config, audio.Length),
            BenchWork.TextPromptMultiplyAdds(config, snapshot.Offset, tokens.Length),
            BenchWork.MimiFrameMultiplyAdds(config, settings.Frames),
            BenchWork.FlowStepBytes(weights, quantize ? QuantizationGroups.Recommended : QuantizationGroups.None));
        QuantizationQuality? quality = null;
        if (quantize)
        {
            using IModelStages reference = floatReference();
            quality = QuantizationQuality.Measure(reference, stages, snapshot, tokens, Math.Min(QualityFrames, settings.Frames), seed: 3);
        }
        return new BenchResult
        {
            Backend = backend.Name,
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
            Int8SnrDb = quality is null ? null : new Dictionary<string, double>
            {
                ["latent"] = quality.LatentSnrDb,
                ["hidden"] = quality.HiddenSnrDb,
                ["audio"] = quality.AudioSnrDb,
            },
        };
    }

    /// <summary>
    /// The model's stages on <paramref name="backend"/>, the load time, and how to build the float model for the int8
    /// quality measurement. A tensor backend builds the model from the synthetic weights directly; a stage backend
    /// reads them from files (written once into a cache folder) and exports its graphs on first use: that one-time
    /// export is neither load time nor part of the peak working set, which is reset after it.
    /// </summary>
    private static (IModelStages Stages, double LoadMs, Func<IModelStages> FloatReference) Load(IBackend backend, BenchModel model, SyntheticWeights weights, bool quantize)
    {
        switch (backend)
        {
            case ITensorBackend tensorBackend:
                {
                    ModelConfig config = model.Config;
                    // The random values are made while the model reads them; that time is not the model's load time.
                    var load = Stopwatch.StartNew();
                    TimeSpan generation = weights.GenerationTime;
                    QuantizationGroups groups = quantize ? QuantizationGroups.Recommended : QuantizationGroups.None;
                    IModelStages stages = TensorModelStages.Build(tensorBackend, config, new WeightScope(weights), groups);
                    double loadMs = (load.Elapsed - (weights.GenerationTime - generation)).TotalMilliseconds;
                    return (stages, loadMs, () => TensorModelStages.Build(tensorBackend, config, new WeightScope(weights)));
                }
            case IStageBackend stageBackend:
                {
                    ModelSource source = SyntheticModelFiles.Prepare(model, weights, Folder, quantize);
                    ModelSource floatSource = source with { Quantize = false };
                    stageBackend.CreateStages(source, ModelDefinition.Instance).Dispose();
                    if (quantize)
                        stageBackend.CreateStages(floatSource, ModelDefinition.Instance).Dispose();
                    PeakWorkingSet.Reset();
                    var load = Stopwatch.StartNew();
                    IModelStages stages = stageBackend.CreateStages(source, ModelDefinition.Instance);
                    return (stages, load.Elapsed.TotalMilliseconds, () => stageBackend.CreateStages(floatSource, ModelDefinition.Instance));
                }
            default:
                throw new UsageException($"Backend '{backend.Name}' is neither a tensor nor a stage backend.");
        }
    }

    /// <summary>Encode the voice audio and run the voice prompt pass.</summary>
    private static FlowLmSnapshot VoicePrompt(IModelStages stages, float[] audio, out double milliseconds)
    {
        var clock = Stopwatch.StartNew();
        int frames = stages.MimiEncoder.LatentFrames(audio.Length);
        var latents = new float[frames * stages.MimiEncoder.LatentDim];
        stages.MimiEncoder.Encode(audio, latents);
        int rows = stages.FlowLm.VoicePromptRows(frames);
        var conditioning = new float[rows * stages.FlowLm.ModelDim];
        stages.FlowLm.ConditionVoice(latents, conditioning);
        using IFlowLmState state = stages.FlowLm.CreateState(rows);
        stages.FlowLm.Prompt(state, conditioning, []);
        FlowLmSnapshot snapshot = stages.FlowLm.Snapshot(state);
        milliseconds = clock.Elapsed.TotalMilliseconds;
        return snapshot;
    }

    /// <summary>Text prompt, then per-frame medians of the FlowLM step and of the Mimi decoder, each alone.</summary>
    private static (double TextMs, double StepMs, double MimiMs) Stages(IModelStages stages, FlowLmSnapshot voice, int[] tokens, int frames)
    {
        IFlowLmStage flowLm = stages.FlowLm;
        using IFlowLmState state = flowLm.CreateState(voice, voice.Offset + tokens.Length + frames);
        var clock = Stopwatch.StartNew();
        var embeddings = new float[tokens.Length * flowLm.ModelDim];
        stages.TextConditioner.Embed(tokens, embeddings);
        flowLm.Prompt(state, embeddings, []);
        double textMs = clock.Elapsed.TotalMilliseconds;

        var latents = new float[frames][];
        var input = new float[flowLm.LatentDim];
        input.AsSpan().Fill(float.NaN);
        var noise = new GaussianNoise(1);
        var noiseRow = new float[flowLm.LatentDim];
        var steps = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            latents[f] = new float[flowLm.LatentDim];
            noise.Fill(noiseRow, MathF.Sqrt(0.7f), null);
            long start = Stopwatch.GetTimestamp();
            flowLm.SampleNextLatent(state, input, noiseRow, 1, latents[f], []);
            steps[f] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            input = latents[f];
        }

        using IMimiDecoderState decoder = stages.MimiDecoder.CreateState();
        var audio = new float[stages.MimiDecoder.FrameSamples];
        var decodes = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            long start = Stopwatch.GetTimestamp();
            stages.MimiDecoder.DecodeFrame(decoder, latents[f], audio);
            decodes[f] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (textMs, Measure.Of(steps).Median, Measure.Of(decodes).Median);
    }

    /// <summary>The producer/decoder pipeline end to end (text prompt included), end of speech never reached.</summary>
    private static (double FirstChunkMs, double Rtf) Pipeline(IModelStages stages, FlowLmSnapshot voice, int[] tokens, int frames)
    {
        var pipeline = new SpeechPipeline(stages, SampleRate, GenerationRules.For(SampleRate));
        var plan = new[] { new ChunkPlan("bench", tokens, FramesAfterEos: 0, MaxFrames: frames) };
        var options = new GenerationOptions { EosThreshold = float.PositiveInfinity, Temperature = 0.7f };
        var clock = Stopwatch.StartNew();
        double first = 0;
        long samples = 0;
        var enumerator = pipeline.RunAsync(plan, voice, options, new GaussianNoise(2), CancellationToken.None).GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                if (samples == 0)
                    first = clock.Elapsed.TotalMilliseconds;
                samples += enumerator.Current.Samples.Length;
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return (first, samples / (double)SampleRate / clock.Elapsed.TotalSeconds);
    }
}
