using System.Runtime.InteropServices;
using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;
using System.Text.Json;
using PocketTts.Audio;
using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Browser.Engines;
using PocketTts.Generation;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;
using PocketTts.Tokenizer;

namespace PocketTts.Browser;

/// <summary>
/// What wwwroot/pocket-tts.js calls: load a model from bytes the page fetched, make voices, and pull generated audio
/// chunk by chunk. Objects cross the boundary as integer handles; audio as little-endian float32 bytes (the cheapest
/// array the JavaScript interop copies). Everything runs on the page's one thread, between its events.
/// </summary>
[SupportedOSPlatform("browser")]
internal static partial class BrowserApi
{
    // The browser's file system lives in memory: files written here are what the engine's loaders read.
    private const string ModelFolder = "/pocket-tts/model";

    private static readonly Dictionary<int, object> Voices = [];
    private static readonly Dictionary<int, IAsyncEnumerator<AudioChunk>> Generations = [];
    private static ISpeechEngine? _engine;
    private static int _nextHandle;

    private static ISpeechEngine Engine => _engine ?? throw new InvalidOperationException("No model is loaded: call loadModel first.");

    /// <summary>Loads a model on the managed engine (replacing any loaded one) from its configuration YAML, weights and tokenizer bytes.</summary>
    /// <param name="config">The configuration YAML (the reference's schema).</param>
    /// <param name="weights">The safetensors weights, float or int8 (int8 is recommended: a quarter of the download).</param>
    /// <param name="tokenizer">The SentencePiece tokenizer.model or the Hugging Face tokenizer.json.</param>
    /// <param name="language">A built-in language name such as english (chooses the text normaliser), or null.</param>
    [JSExport]
    public static async Task LoadModel(byte[] config, byte[] weights, byte[] tokenizer, string? language)
    {
        Directory.CreateDirectory(ModelFolder);
        var source = new ModelSource(Write("config.yaml", config), Write("model.safetensors", weights), Write(TextTokenizers.FileNameFor(tokenizer), tokenizer))
        {
            Language = string.IsNullOrEmpty(language) ? null : language,
        };
        // One thread: the backend computes inline, and the pipeline takes turns (see SpeechPipeline).
        IBackend backend = new ManagedBackendProvider().Create(new BackendOptions { Threads = 1 });
        PocketTtsModel model = await PocketTtsModel.LoadAsync(source, backend);
        await UnloadAsync();
        _engine = new ManagedEngine(model);
    }

    /// <summary>
    /// Loads a model whose stages are the exported graphs that graph-stages.js has opened on onnxruntime-web (replacing
    /// any loaded one): only the configuration and the tokenizer are read here.
    /// </summary>
    /// <param name="config">The configuration YAML.</param>
    /// <param name="tokenizer">The SentencePiece tokenizer.model or the Hugging Face tokenizer.json.</param>
    /// <param name="language">A built-in language name such as english (chooses the text normaliser), or null.</param>
    /// <param name="latentDim">Features of a latent, from the graphs' manifest.</param>
    /// <param name="frameSamples">Samples of a decoded frame, from the graphs' manifest.</param>
    [JSExport]
    public static async Task LoadGraphModel(byte[] config, byte[] tokenizer, string? language, int latentDim, int frameSamples)
    {
        Directory.CreateDirectory(ModelFolder);
        var source = new ModelSource(Write("config.yaml", config), WeightsPath: "", Write(TextTokenizers.FileNameFor(tokenizer), tokenizer))
        {
            Language = string.IsNullOrEmpty(language) ? null : language,
        };
        var generator = AsyncSpeechGenerator.Load(source);
        await UnloadAsync();
        _engine = new GraphEngine(generator, latentDim, frameSamples);
    }

    /// <summary>The output sample rate (24000).</summary>
    [JSExport]
    public static int SampleRate() => Engine.SampleRate;

    /// <summary>Makes a voice from WAV or MP3 bytes (any rate; the first 30 s are used) and returns its handle.</summary>
    [JSExport]
    public static async Task<int> VoiceFromAudio(byte[] audio)
    {
        AudioClip clip = AudioFileReader.Read(audio, "the voice audio");
        return Add(Voices, await Engine.VoiceFromAudioAsync(clip));
    }

    /// <summary>Loads a voice state exported by <c>pocket-tts export-voice</c> (safetensors bytes) and returns its handle.</summary>
    [JSExport]
    public static int VoiceFromState(byte[] state) => Add(Voices, Engine.VoiceFromState(state));

    /// <summary>Forgets a voice.</summary>
    [JSExport]
    public static void ReleaseVoice(int voice)
    {
        if (Voices.Remove(voice, out object? released))
            (released as IDisposable)?.Dispose();
    }

    /// <summary>
    /// Starts generating <paramref name="text"/> and returns a handle for <see cref="NextChunk"/>. Options are a JSON
    /// object with any of: seed, temperature, lsdDecodeSteps, noiseClamp, eosThreshold, framesAfterEos, maxTokens,
    /// naturalPauses (bool, default false), normalize (bool, default true).
    /// </summary>
    [JSExport]
    public static int StartGeneration(string text, int voice, string options)
    {
        object state = Voices.TryGetValue(voice, out object? found) ? found : throw new ArgumentException($"Unknown voice handle {voice}.");
        IAsyncEnumerable<AudioChunk> audio = Engine.GenerateAsync(text, state, ReadOptions(options));
        return Add(Generations, audio.GetAsyncEnumerator());
    }

    /// <summary>
    /// Advances a generation to its next chunk (read it with <see cref="CurrentChunk"/>); false when it is over, and
    /// then the generation is freed.
    /// </summary>
    [JSExport]
    public static async Task<bool> NextChunk(int generation)
    {
        IAsyncEnumerator<AudioChunk> chunks = Generation(generation);
        bool more;
        try
        {
            more = await chunks.MoveNextAsync();
        }
        catch
        {
            await CancelGeneration(generation);
            throw;
        }
        if (!more)
            await CancelGeneration(generation);
        return more;
    }

    /// <summary>The chunk <see cref="NextChunk"/> moved to, as float32 samples (little-endian bytes).</summary>
    [JSExport]
    public static byte[] CurrentChunk(int generation) => MemoryMarshal.AsBytes(Generation(generation).Current.Samples.AsSpan()).ToArray();

    /// <summary>Stops a generation and frees it (also done when it ends).</summary>
    [JSExport]
    public static async Task CancelGeneration(int generation)
    {
        if (Generations.Remove(generation, out IAsyncEnumerator<AudioChunk>? chunks))
            await chunks.DisposeAsync();
    }

    private static GenerationOptions ReadOptions(string json)
    {
        using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        JsonElement o = document.RootElement;
        var defaults = new GenerationOptions();
        var options = new GenerationOptions
        {
            Seed = Int(o, "seed") ?? defaults.Seed,
            Temperature = Float(o, "temperature") ?? defaults.Temperature,
            LsdDecodeSteps = Int(o, "lsdDecodeSteps") ?? defaults.LsdDecodeSteps,
            NoiseClamp = Float(o, "noiseClamp") ?? defaults.NoiseClamp,
            EosThreshold = Float(o, "eosThreshold") ?? defaults.EosThreshold,
            FramesAfterEos = Int(o, "framesAfterEos") ?? defaults.FramesAfterEos,
            MaxTokensPerChunk = Int(o, "maxTokens") ?? defaults.MaxTokensPerChunk,
            Pauses = new PauseOptions { NaturalPauses = o.TryGetProperty("naturalPauses", out JsonElement natural) && natural.GetBoolean() },
            TextNormalizer = o.TryGetProperty("normalize", out JsonElement normalize) && !normalize.GetBoolean() ? TextNormalizers.PassThrough : null,
        };
        options.Validate();
        return options;
    }

    private static IAsyncEnumerator<AudioChunk> Generation(int handle) =>
        Generations.TryGetValue(handle, out IAsyncEnumerator<AudioChunk>? chunks) ? chunks : throw new ArgumentException($"Unknown generation handle {handle}.");

    private static int? Int(JsonElement o, string name) => o.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v.GetInt32() : null;

    private static float? Float(JsonElement o, string name) => o.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v.GetSingle() : null;

    private static string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(ModelFolder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static int Add<T>(Dictionary<int, T> table, T value)
    {
        int handle = ++_nextHandle;
        table[handle] = value;
        return handle;
    }

    private static async Task UnloadAsync()
    {
        foreach (IAsyncEnumerator<AudioChunk> generation in Generations.Values)
            await generation.DisposeAsync();
        Generations.Clear();
        foreach (object voice in Voices.Values)
            (voice as IDisposable)?.Dispose();
        Voices.Clear();
        if (_engine is not null)
            await _engine.DisposeAsync();
        _engine = null;
    }
}
