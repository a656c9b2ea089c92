using System.Runtime.CompilerServices;
using PocketTts.Backends;
using PocketTts.Config;

namespace PocketTts.Generation;

/// <summary>
/// Generation for stages that are awaited one call at a time (<see cref="IAsyncSpeechStages"/>): the model's text side
/// (configuration, tokenizer, normaliser; no weights) plans the text as <see cref="PocketTtsModel"/> does, and the loop
/// is the reference's, with FlowLM and Mimi taking turns. The same text, options and seed give the samples that
/// <see cref="PocketTtsModel.GenerateStreamingAsync(string, Voices.VoiceState, GenerationOptions?, CancellationToken)"/>
/// gives on stages of the same numbers.
/// </summary>
/// <example>
/// <code>
/// var generator = AsyncSpeechGenerator.Load(new ModelSource("config.yaml", WeightsPath: "", "tokenizer.model"));
/// await using IAsyncSpeechStages stages = myEngine.Stages(voice);
/// await foreach (AudioChunk chunk in generator.GenerateAsync("Hello there.", stages))
///     Play(chunk.Samples);
/// </code>
/// </example>
public sealed class AsyncSpeechGenerator
{
    private readonly SpeechPlanner _planner;
    private readonly GenerationRules _rules;

    private AsyncSpeechGenerator(SpeechPlanner planner)
    {
        _planner = planner;
        _rules = GenerationRules.For(SampleRate);
    }

    /// <summary>The model's configuration.</summary>
    public ModelConfig Config => _planner.Config;

    /// <summary>The output sample rate.</summary>
    public int SampleRate => _planner.Config.Mimi.SampleRate;

    /// <summary>Reads the configuration and the tokenizer of <paramref name="source"/> (its weights are not read).</summary>
    /// <exception cref="InvalidDataException">The tokenizer does not fit the configuration.</exception>
    public static AsyncSpeechGenerator Load(ModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new AsyncSpeechGenerator(SpeechPlanner.Load(source));
    }

    /// <summary>The audio of a voice prompt as the Mimi encoder takes it: resampled to <see cref="SampleRate"/>, its first 30 s.</summary>
    public float[] VoicePromptAudio(ReadOnlySpan<float> samples, int sampleRate) => PocketTtsModel.VoicePromptAudio(samples, sampleRate, SampleRate);

    /// <summary>Plans <paramref name="text"/> as <see cref="PocketTtsModel.Plan"/> does.</summary>
    /// <exception cref="InvalidInputException">The text is empty, or an option is out of range.</exception>
    public SpeechPlan Plan(string text, GenerationOptions? options = null) => _planner.PlanChecked(text, options);

    /// <summary>Generates <paramref name="text"/> on <paramref name="stages"/>, streaming 80 ms frames as they are decoded.</summary>
    /// <exception cref="InvalidInputException">The text is empty, or an option is out of range.</exception>
    public IAsyncEnumerable<AudioChunk> GenerateAsync(string text, IAsyncSpeechStages stages, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        options ??= new GenerationOptions();
        SpeechPlan plan = Plan(text, options);
        return RunAsync(plan, stages, options, cancellationToken);
    }

    private async IAsyncEnumerable<AudioChunk> RunAsync(
        SpeechPlan plan, IAsyncSpeechStages stages, GenerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var steps = new ChunkSteps(stages.LatentDim, options, options.Temperature ?? (float)Config.DefaultTemperature, _rules, GaussianNoise.ForSeed(options.Seed));
        var placement = new FramePlacement(plan, stages.FrameSamples, SampleRate, _rules);
        var ready = new List<AudioChunk>();
        for (int item = 0; item < plan.Count; item++)
        {
            if (placement.Enter(item, ready))
                await stages.ResetDecoderAsync(cancellationToken);
            if (plan[item] is not ChunkPlan chunk)
            {
                placement.Silence(item, ready);
                foreach (AudioChunk silence in Drain(ready))
                    yield return silence;
                continue;
            }
            await stages.StartChunkAsync(chunk.TokenIds, cancellationToken);
            steps.Start(chunk);
            for (int step = 0; step < chunk.MaxFrames; step++)
            {
                steps.DrawNoise();
                float logit = await stages.StepAsync(steps.Input, steps.Noise, options.LsdDecodeSteps, steps.Latent, cancellationToken);
                if (!steps.Speaks(step, logit))
                    break;
                var samples = new float[stages.FrameSamples];
                await stages.DecodeAsync(steps.Latent, samples, cancellationToken);
                placement.Speech(item, step, samples, ready);
                foreach (AudioChunk frame in Drain(ready))
                    yield return frame;
                steps.Advance();
            }
        }
        placement.Finish(ready);
        foreach (AudioChunk last in Drain(ready))
            yield return last;
    }

    private static AudioChunk[] Drain(List<AudioChunk> ready)
    {
        AudioChunk[] chunks = [.. ready];
        ready.Clear();
        return chunks;
    }
}
