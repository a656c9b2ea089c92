using System.Globalization;
using PocketTts.Audio;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Model;
using PocketTts.Stages;
using PocketTts.Text.Pauses;
using PocketTts.Voices;

namespace PocketTts;

/// <summary>
/// A loaded Pocket TTS model: turns text into 24 kHz speech in a given voice. Immutable and thread-safe once
/// loaded: every call brings its own state, so one model serves many concurrent generations.
/// </summary>
/// <example>
/// <code>
/// using var model = await PocketTtsModel.LoadAsync(source, backend);
/// VoiceState voice = await model.CreateVoiceStateAsync("ref.wav");
/// await foreach (AudioChunk chunk in model.GenerateStreamingAsync("Hello there.", voice))
///     sink.Write(chunk.Samples);        // 1920 samples = 80 ms at 24 kHz
/// </code>
/// </example>
public sealed partial class PocketTtsModel : IDisposable, IAsyncDisposable
{
    /// <summary>Longest voice prompt used, as the reference's export-voice truncation (30 s).</summary>
    public static readonly TimeSpan MaxVoicePromptDuration = TimeSpan.FromSeconds(30);

    private readonly IModelStages _stages;
    private readonly IBackend _backend;
    private readonly SpeechPlanner _planner;
    private readonly SpeechPipeline _pipeline;
    private int _disposed;

    private PocketTtsModel(SpeechPlanner planner, IBackend backend, IModelStages stages, string? language)
    {
        _planner = planner;
        _backend = backend;
        _stages = stages;
        int sampleRate = planner.Config.Mimi.SampleRate;
        _pipeline = new SpeechPipeline(stages, sampleRate, GenerationRules.For(sampleRate), SpeechPipeline.ThreadsAvailable, SpeechPipeline.LeavesACoreFree(backend.ComputeThreads));
        Language = language;
    }

    /// <summary>The model's configuration.</summary>
    public ModelConfig Config => _planner.Config;

    /// <summary>Output sample rate in Hz (24000).</summary>
    public int SampleRate => Config.Mimi.SampleRate;

    /// <summary>The language the model speaks (<see cref="ModelSource.Language"/>), or null when unknown.</summary>
    public string? Language { get; }

    /// <summary>The backend that runs the model.</summary>
    public string BackendName => _backend.Name;

    /// <summary>The stages the model runs (for measurements that compare two models stage by stage).</summary>
    internal IModelStages Stages => _stages;

    /// <summary>Whether a generation whose options leave <see cref="GenerationOptions.OverlapStages"/> open overlaps the stages.</summary>
    internal bool OverlapsStagesByDefault => _pipeline.OverlapByDefault;

    /// <summary>
    /// Loads a model from local files onto a backend. The model takes ownership of <paramref name="backend"/> and
    /// disposes it.
    /// </summary>
    /// <param name="source">Configuration, weights (float or int8) and tokenizer files.</param>
    /// <param name="backend">A backend from a plugin's <see cref="IBackendProvider.Create"/>.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is invalid; the message names it and what is wrong.</exception>
    public static Task<PocketTtsModel> LoadAsync(ModelSource source, IBackend backend, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(backend);
        return Task.Run(() =>
        {
            SpeechPlanner planner = SpeechPlanner.Load(source);
            IModelStages stages = ModelStageFactory.Create(backend, source, planner.Config, cancellationToken);
            return new PocketTtsModel(planner, backend, stages, source.Language);
        }, cancellationToken);
    }

    /// <summary>Computes a voice state from a WAV or MP3 file (any rate and channel count; the first 30 s are used).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not readable audio.</exception>
    public async Task<VoiceState> CreateVoiceStateAsync(string audioPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioPath);
        AudioClip clip = await Task.Run(() => AudioFileReader.Read(audioPath), cancellationToken);
        return await Task.Run(() => CreateVoiceState(clip.Samples, clip.SampleRate), cancellationToken);
    }

    /// <summary>Computes a voice state from mono samples at <paramref name="sampleRate"/> (the first 30 s are used).</summary>
    /// <exception cref="ArgumentException">No samples, or a non-positive sample rate.</exception>
    public VoiceState CreateVoiceState(ReadOnlySpan<float> samples, int sampleRate)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        float[] audio = VoicePromptAudio(samples, sampleRate, SampleRate);

        IMimiEncoderStage encoder = _stages.MimiEncoder;
        IFlowLmStage flowLm = _stages.FlowLm;
        int frames = encoder.LatentFrames(audio.Length);
        var latents = new float[frames * encoder.LatentDim];
        encoder.Encode(audio, latents);
        int rows = flowLm.VoicePromptRows(frames);
        var conditioning = new float[rows * flowLm.ModelDim];
        flowLm.ConditionVoice(latents, conditioning);
        using IFlowLmState state = flowLm.CreateState(rows);
        flowLm.Prompt(state, conditioning, []);
        return new VoiceState(flowLm.Snapshot(state));
    }

    /// <summary>
    /// A voice prompt as the encoder takes it: the first <see cref="MaxVoicePromptDuration"/> of
    /// <paramref name="samples"/>, resampled to <paramref name="modelRate"/> and ended on a pause.
    /// </summary>
    /// <exception cref="ArgumentException">No samples, or a non-positive sample rate.</exception>
    internal static float[] VoicePromptAudio(ReadOnlySpan<float> samples, int sampleRate, int modelRate)
    {
        if (samples.IsEmpty)
            throw new ArgumentException("The voice prompt has no samples.", nameof(samples));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        int maxSamples = (int)(MaxVoicePromptDuration.TotalSeconds * sampleRate);
        float[] audio = AudioPreparation.ToModelInput(samples[..Math.Min(samples.Length, maxSamples)], sampleRate, modelRate);
        return EndOnPause.Apply(audio, modelRate);
    }

    /// <summary>Loads a voice state exported by <see cref="SaveVoiceState(VoiceState, string)"/> or by the Python package.</summary>
    /// <exception cref="InvalidDataException">The file is not a voice state for this model.</exception>
    public VoiceState LoadVoiceState(string path) => Fitting(VoiceStateFile.Read(path), path);

    /// <summary>Loads a voice state from the bytes of such a file (an upload, a download), named <paramref name="name"/> in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a voice state for this model.</exception>
    public VoiceState LoadVoiceState(ReadOnlyMemory<byte> bytes, string name) => Fitting(VoiceStateFile.Read(bytes, name), name);

    /// <summary>
    /// Reads a voice state file from <paramref name="stream"/> (read to its end, left open), named
    /// <paramref name="name"/> in errors: no temporary file is needed for a state that arrives over a network.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream holds more than <see cref="MaxVoiceStateBytes"/> bytes, or is
    /// not a voice state for this model.</exception>
    public async Task<VoiceState> LoadVoiceStateAsync(Stream stream, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        using var content = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (content.Length + read > MaxVoiceStateBytes)
                throw new InvalidDataException($"{name}: more than {MaxVoiceStateBytes} bytes; a voice state of {MaxVoicePromptDuration.TotalSeconds:0} s of audio is far smaller.");
            content.Write(buffer, 0, read);
        }
        return LoadVoiceState(content.GetBuffer().AsMemory(0, (int)content.Length), name);
    }

    /// <summary>
    /// The largest voice state file <see cref="LoadVoiceStateAsync"/> reads (256 MiB): a 30 s voice of the shipped
    /// models is about 10 MB, so a longer stream is not a voice state.
    /// </summary>
    public const int MaxVoiceStateBytes = 256 << 20;

    private VoiceState Fitting(FlowLmSnapshot snapshot, string name)
    {
        IFlowLmStage flowLm = _stages.FlowLm;
        if (snapshot.Layers != flowLm.Layers || snapshot.Heads != flowLm.Heads || snapshot.HeadDim != flowLm.HeadDim)
        {
            throw new InvalidDataException(
                $"{name} is a voice state for {snapshot.Layers} layers × {snapshot.Heads} heads × {snapshot.HeadDim}, but this model has {flowLm.Layers} × {flowLm.Heads} × {flowLm.HeadDim}.");
        }
        return new VoiceState(snapshot);
    }

    /// <summary>Saves a voice state as safetensors (written to a temporary name, then renamed).</summary>
    public static void SaveVoiceState(VoiceState voice, string path)
    {
        ArgumentNullException.ThrowIfNull(voice);
        VoiceStateFile.Write(voice.Snapshot, path);
    }

    /// <summary>Writes a voice state as safetensors to <paramref name="stream"/> (left open).</summary>
    public static void SaveVoiceState(VoiceState voice, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(stream);
        VoiceStateFile.WriteTo(voice.Snapshot, stream);
    }

    /// <summary>
    /// Generates speech, streaming 80 ms frames as they are decoded. Pause markers and natural pauses
    /// (<see cref="GenerationOptions.Pauses"/>) come out as chunks of exact silence.
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    /// <exception cref="PauseMarkupException">The text has a malformed pause marker.</exception>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(string text, VoiceState voice, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        (GenerationOptions resolved, INoiseSource noise) = SeededNoise(options);
        return GenerateStreamingAsync(text, voice, resolved, noise, cancellationToken);
    }

    /// <summary>Generates speech with flow noise from <paramref name="noise"/> (one draw per frame, in order).</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    /// <exception cref="PauseMarkupException">The text has a malformed pause marker.</exception>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(string text, VoiceState voice, GenerationOptions options, INoiseSource noise, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(noise);
        return GenerateStreamingAsync(Plan(text, options), voice, options, noise, cancellationToken);
    }

    /// <summary>
    /// Generates speech from a plan made by <see cref="Plan"/> (or built by hand): the text is not read again, so a
    /// caller that needed the plan first (to count tokens, to show the chunks) plans once. The plan's decisions
    /// (chunks, frames after end of speech, pauses) are kept; <paramref name="options"/> sets the sampling: temperature,
    /// LSD steps, noise clamp, end-of-speech threshold, seed.
    /// </summary>
    /// <exception cref="InvalidInputException">A token id is outside this model's vocabulary, or an option is out of range.</exception>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(SpeechPlan plan, VoiceState voice, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        (GenerationOptions resolved, INoiseSource noise) = SeededNoise(options);
        return GenerateStreamingAsync(plan, voice, resolved, noise, cancellationToken);
    }

    /// <summary>Generates speech from a plan with flow noise from <paramref name="noise"/> (one draw per frame, in order).</summary>
    /// <exception cref="InvalidInputException">A token id is outside this model's vocabulary, or an option is out of range.</exception>
    public IAsyncEnumerable<AudioChunk> GenerateStreamingAsync(SpeechPlan plan, VoiceState voice, GenerationOptions options, INoiseSource noise, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(noise);
        options.Validate();
        foreach (ChunkPlan chunk in plan.OfType<ChunkPlan>())
        {
            foreach (int id in chunk.TokenIds)
            {
                if ((uint)id >= (uint)_planner.Tokenizer.VocabSize)
                    throw new InvalidInputException($"is outside the vocabulary of {_planner.Tokenizer.VocabSize} pieces.", "token id", id.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (options.Temperature is null)
            options = options with { Temperature = (float)Config.DefaultTemperature };
        return _pipeline.RunAsync(plan, voice.Snapshot, options, noise, cancellationToken);
    }

    /// <summary>Generates the whole utterance and returns its samples.</summary>
    public async Task<float[]> GenerateAsync(string text, VoiceState voice, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var samples = new List<float>();
        await foreach (AudioChunk chunk in GenerateStreamingAsync(text, voice, options, cancellationToken))
            samples.AddRange(chunk.Samples);
        return [.. samples];
    }

    /// <summary>
    /// The text side of a generation: pause markers, normalisation and natural pauses cut the text into speech and
    /// silences, and each piece of speech is cut into chunks of at most <see cref="GenerationOptions.MaxTokensPerChunk"/>
    /// tokens as the reference does. <see cref="SpeechPlan.TokenCount"/> is what the model will read.
    /// </summary>
    /// <param name="text">The text to speak.</param>
    /// <param name="options">The options that shape the plan: <see cref="GenerationOptions.MaxTokensPerChunk"/>,
    /// <see cref="GenerationOptions.FramesAfterEos"/>, <see cref="GenerationOptions.Pauses"/>,
    /// <see cref="GenerationOptions.TextNormalizer"/>. Default: <see cref="GenerationOptions"/>' defaults.</param>
    /// <exception cref="InvalidInputException">The text is empty, or an option is out of range.</exception>
    /// <exception cref="PauseMarkupException">The text has a malformed pause marker.</exception>
    public SpeechPlan Plan(string text, GenerationOptions? options = null) => _planner.PlanChecked(text, options);

    /// <summary>The options (their defaults when null) and the flow noise of their seed (a random one when unset).</summary>
    private static (GenerationOptions Options, INoiseSource Noise) SeededNoise(GenerationOptions? options)
    {
        options ??= new GenerationOptions();
        return (options, GaussianNoise.ForSeed(options.Seed));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stages.Dispose();
        _backend.Dispose();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
