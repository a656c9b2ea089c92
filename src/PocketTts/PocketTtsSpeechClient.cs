using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using PocketTts.Audio;
using PocketTts.Audio.Encoders;
using PocketTts.Backends;
using PocketTts.Backends.Managed;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Hub;
using PocketTts.Voices;

namespace PocketTts;

/// <summary>
/// A loaded <see cref="PocketTtsModel"/> as a Microsoft.Extensions.AI <see cref="ITextToSpeechClient"/>, so that the
/// same interface drives the local engine and, through the OpenAI adapter, <c>pocket-tts serve</c>. Thread-safe: one
/// client serves concurrent requests, each with its own generation state.
/// </summary>
/// <remarks>
/// <see cref="TextToSpeechOptions"/>: <c>VoiceId</c> is a voice added with <see cref="AddVoice"/> (or the default
/// voice's name), or a path to a WAV/MP3 recording to clone or an exported <c>.safetensors</c> state;
/// <c>AudioFormat</c> is <c>wav</c> (default), <c>pcm</c> (<c>audio/L16</c>), <c>opus</c> (Ogg), or <c>mp3</c>, <c>aac</c>
/// and <c>flac</c> when ffmpeg is there (<see cref="AudioEncoderFactory"/>), by name or media type; <c>Speed</c> changes the tempo
/// (0.25–4) without changing the pitch; <c>Language</c>, when given, must be the model's. Generation itself follows
/// <see cref="GenerationOptions"/>, given once to the constructor, so that with none the output is the reference's.
/// </remarks>
[Experimental("MEAI001")]
public sealed class PocketTtsSpeechClient : ITextToSpeechClient
{
    private readonly ConcurrentDictionary<string, VoiceState> _voices = new(StringComparer.OrdinalIgnoreCase);
    private readonly GenerationOptions _generation;
    private readonly bool _ownsModel;
    private readonly TextToSpeechClientMetadata _metadata;
    private readonly AudioEncoderFactory _encoders;
    private Func<string, CancellationToken, Task<VoiceState>>? _resolveVoice;
    private HubClient? _hub;
    private int _disposed;

    /// <summary>Serves <paramref name="model"/> with <paramref name="defaultVoice"/> when a request names none.</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="defaultVoice">The voice of requests without a <c>VoiceId</c>.</param>
    /// <param name="defaultVoiceName">The default voice's name, which requests may also give.</param>
    /// <param name="generation">How to generate (temperature, decode steps, seed…); the reference's defaults when null.</param>
    /// <param name="ownsModel">Whether disposing the client disposes the model.</param>
    /// <param name="encoders">The audio encoders; when null, with the ffmpeg found on PATH, if any.</param>
    public PocketTtsSpeechClient(PocketTtsModel model, VoiceState defaultVoice, string defaultVoiceName = "default", GenerationOptions? generation = null, bool ownsModel = false,
        AudioEncoderFactory? encoders = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(defaultVoice);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultVoiceName);
        Model = model;
        DefaultVoiceName = defaultVoiceName;
        _voices[defaultVoiceName] = defaultVoice;
        _generation = generation ?? new GenerationOptions();
        _generation.Validate();
        _ownsModel = ownsModel;
        _encoders = encoders ?? new AudioEncoderFactory(AudioEncoderFactory.FindFfmpeg(Environment.GetEnvironmentVariable("PATH")));
        _metadata = new TextToSpeechClientMetadata("pocket-tts", new Uri("https://github.com/kyutai-labs/pocket-tts"), model.Language ?? "custom");
    }

    /// <summary>
    /// Loads a model in one call as <c>pocket-tts</c> does — a built-in language or a configuration, its files from the
    /// shared Hugging Face cache (downloaded when missing), the managed backend — and its default voice.
    /// </summary>
    /// <example>
    /// <code>
    /// using var speech = await PocketTtsSpeechClient.LoadAsync(new PocketTtsOptions { Language = "english", Voice = "alba" });
    /// TextToSpeechResponse response = await speech.GetAudioAsync("Hello there.");
    /// </code>
    /// </example>
    /// <exception cref="PocketTtsException">Conflicting options, a predefined voice the weights cannot use, or a checkpoint or
    /// voice that does not exist; its type says which (<see cref="InvalidInputException"/>, <see cref="UnsupportedException"/>,
    /// <see cref="NotFoundException"/>).</exception>
    /// <exception cref="ArgumentException">An unknown language.</exception>
    /// <exception cref="FileNotFoundException">A configuration file that does not exist.</exception>
    /// <exception cref="HubException">A file could not be downloaded (offline, no access, refused URL).</exception>
    public static async Task<PocketTtsSpeechClient> LoadAsync(PocketTtsOptions? options = null, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new PocketTtsOptions();
        var hub = new HubClient(options.Hub ?? HubOptions.FromEnvironment());
        PocketTtsModel? model = null;
        try
        {
            var request = new ModelRequest { Language = options.Language, ConfigPath = options.ConfigPath, CheckpointPath = options.CheckpointPath };
            ResolvedModel resolved = await ModelResolver.ResolveAsync(hub, request, progress, cancellationToken).ConfigureAwait(false);
            IBackend backend = new ManagedBackendProvider().Create(new BackendOptions { Threads = options.Threads });
            model = await PocketTtsModel.LoadAsync(resolved.ToSource(options.Quantize), backend, cancellationToken).ConfigureAwait(false);
            DownloadPolicy policy = VoiceDownloads.Policy(options.AllowPrivateVoiceUrls);
            string voiceName = options.Voice ?? resolved.DefaultVoice;
            VoiceState voice = await VoiceSources.ResolveAsync(hub, model, resolved, voiceName, policy, cancellationToken).ConfigureAwait(false);
            PocketTtsModel loaded = model;
            AudioEncoderFactory encoders = new(options.FfmpegPath ?? AudioEncoderFactory.FindFfmpeg(Environment.GetEnvironmentVariable("PATH")));
            return new PocketTtsSpeechClient(model, voice, VoiceName(voiceName), options.Generation, ownsModel: true, encoders)
            {
                _resolveVoice = (source, token) => VoiceSources.ResolveAsync(hub, loaded, resolved, source, policy, token),
                _hub = hub,
            };
        }
        catch
        {
            model?.Dispose();
            hub.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds a voice by what <see cref="PocketTtsOptions.Voice"/> takes: with a client from <see cref="LoadAsync"/>, a
    /// predefined name, a path, an http(s) URL or an <c>hf://</c> reference; otherwise a local path.
    /// </summary>
    /// <exception cref="NotFoundException">Neither a predefined voice nor an existing file (subject <c>voice</c>).</exception>
    /// <exception cref="UnsupportedException">A predefined voice the weights cannot use (subject <c>voice</c>).</exception>
    public async Task AddVoiceAsync(string name, string voice, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(voice);
        AddVoice(name, _resolveVoice is { } resolve
            ? await resolve(voice, cancellationToken).ConfigureAwait(false)
            : await VoiceFromFileAsync(voice, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("no such file.", "voice", voice));
    }

    /// <summary>Adds a voice from a stream holding a WAV/MP3 recording to clone or an exported <c>.safetensors</c> state.</summary>
    /// <exception cref="InvalidDataException">The stream is neither audio nor a voice state.</exception>
    public async Task AddVoiceAsync(string name, Stream voice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(voice);
        using var buffer = new MemoryStream();
        await voice.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        byte[] bytes = buffer.ToArray();
        bool isState = bytes.Length > 8 && bytes.AsSpan(8).TrimStart((byte)' ').StartsWith("{"u8);
        if (isState)
        {
            AddVoice(name, Model.LoadVoiceState(bytes, name));
            return;
        }
        AudioClip clip = AudioFileReader.Read(bytes, name);
        AddVoice(name, Model.CreateVoiceState(clip.Samples, clip.SampleRate));
    }

    /// <summary>The model this client speaks with.</summary>
    public PocketTtsModel Model { get; }

    /// <summary>The name of the voice used when a request gives none.</summary>
    public string DefaultVoiceName { get; }

    /// <summary>The voices requests can name, the default one included.</summary>
    public IReadOnlyCollection<string> VoiceNames => [.. _voices.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Makes <paramref name="voice"/> available as <c>VoiceId = <paramref name="name"/></c> (replacing a voice of that name).</summary>
    public void AddVoice(string name, VoiceState voice)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(voice);
        _voices[name] = voice;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidInputException">The text is empty (subject <c>text</c>), or the speed is out of range (subject <c>Speed</c>).</exception>
    /// <exception cref="NotFoundException">The voice is unknown (subject <c>voice</c>).</exception>
    /// <exception cref="UnsupportedException">An audio format (subject <c>format</c>) or a language (subject <c>Language</c>) this client does not serve.</exception>
    public async Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        Request request = await PrepareAsync(text, options, cancellationToken).ConfigureAwait(false);
        // A seekable output: the encoders write the true lengths into the headers at the end.
        using var output = new MemoryStream();
        long samples = 0;
        await using (IAudioEncoder encoder = _encoders.Create(request.Format, output, Model.SampleRate))
        {
            await foreach (ReadOnlyMemory<float> piece in request.Samples(Model, text, _generation, cancellationToken).ConfigureAwait(false))
            {
                await encoder.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
                samples += piece.Length;
            }
            await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        return new TextToSpeechResponse([new DataContent(output.ToArray(), SpeechFormat.MediaType(request.Format, Model.SampleRate))])
        {
            ModelId = _metadata.DefaultModelId,
            AdditionalProperties = new() { ["duration_seconds"] = (double)samples / Model.SampleRate },
        };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The first update opens the session; each audio update carries the bytes encoded so far, as a streaming response
    /// would (a WAV stream's first one starts with a header whose sizes say "until the end", as the reference's
    /// streaming writer does; an ffmpeg format's bytes may lag a chunk behind); the last closes the session.
    /// </remarks>
    /// <exception cref="InvalidInputException">The text is empty (subject <c>text</c>), or the speed is out of range (subject <c>Speed</c>).</exception>
    /// <exception cref="NotFoundException">The voice is unknown (subject <c>voice</c>).</exception>
    /// <exception cref="UnsupportedException">An audio format (subject <c>format</c>) or a language (subject <c>Language</c>) this client does not serve.</exception>
    public async IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(string text, TextToSpeechOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Request request = await PrepareAsync(text, options, cancellationToken).ConfigureAwait(false);
        string responseId = Guid.NewGuid().ToString("N");
        string mediaType = SpeechFormat.MediaType(request.Format, Model.SampleRate);
        yield return Update(TextToSpeechResponseUpdateKind.SessionOpen, responseId, []);
        using var output = new EncodedChunks();
        await using (IAudioEncoder encoder = _encoders.Create(request.Format, output, Model.SampleRate))
        {
            await foreach (ReadOnlyMemory<float> piece in request.Samples(Model, text, _generation, cancellationToken).ConfigureAwait(false))
            {
                if (piece.IsEmpty)
                    continue;
                await encoder.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
                if (await output.TakeAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } bytes)
                    yield return Update(TextToSpeechResponseUpdateKind.AudioUpdating, responseId, [new DataContent(bytes, mediaType)]);
            }
            await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (await output.TakeAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } rest)
            yield return Update(TextToSpeechResponseUpdateKind.AudioUpdating, responseId, [new DataContent(rest, mediaType)]);
        yield return Update(TextToSpeechResponseUpdateKind.SessionClose, responseId, []);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(TextToSpeechClientMetadata))
            return _metadata;
        if (serviceType.IsInstanceOfType(this))
            return this;
        return serviceType.IsInstanceOfType(Model) ? Model : null;
    }

    /// <inheritdoc/>
    /// <remarks>Idempotent: a container that registered the client under two services disposes it twice.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_ownsModel)
            Model.Dispose();
        _hub?.Dispose();
    }

    // A voice's name as a request gives it: a predefined name as it is, a file by its name without extension.
    private static string VoiceName(string voice) =>
        PredefinedVoices.TryGet(voice, out _) ? voice : Path.GetFileNameWithoutExtension(voice.Split('@')[0]);

    private async Task<VoiceState?> VoiceFromFileAsync(string path, CancellationToken cancellationToken) =>
        !File.Exists(path) ? null
        : path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? Model.LoadVoiceState(path)
        : await Model.CreateVoiceStateAsync(path, cancellationToken).ConfigureAwait(false);

    private TextToSpeechResponseUpdate Update(TextToSpeechResponseUpdateKind kind, string responseId, IList<AIContent> contents) =>
        new(contents) { Kind = kind, ResponseId = responseId, ModelId = _metadata.DefaultModelId };

    private async Task<Request> PrepareAsync(string text, TextToSpeechOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        AudioFormat format = SpeechFormat.Parse(options?.AudioFormat);
        _encoders.EnsureAvailable(format);
        CheckLanguage(options?.Language);
        float speed = options?.Speed ?? 1f;
        if (speed is < TimeStretch.MinSpeed or > TimeStretch.MaxSpeed || float.IsNaN(speed))
            throw new InvalidInputException($"expected a speed between {TimeStretch.MinSpeed} and {TimeStretch.MaxSpeed}.", "Speed", speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        VoiceState voice = await VoiceAsync(options?.VoiceId, cancellationToken).ConfigureAwait(false);
        return new Request(voice, format, speed);
    }

    private async Task<VoiceState> VoiceAsync(string? voiceId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(voiceId))
            return _voices[DefaultVoiceName];
        if (_voices.TryGetValue(voiceId, out VoiceState? voice))
            return voice;
        if (await VoiceFromFileAsync(voiceId, cancellationToken).ConfigureAwait(false) is { } fromFile)
            return fromFile;
        throw new NotFoundException($"is not one of {string.Join(", ", VoiceNames)}, nor an existing file (a WAV/MP3 recording or an exported .safetensors state).", "voice", voiceId);
    }

    private void CheckLanguage(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested) || Model.Language is null)
            return;
        string spoken = LanguageCatalog.Family(Model.Language);
        string asked = requested.Split('-', '_')[0].ToLowerInvariant();
        string? family = asked switch
        {
            "en" or "english" => "english",
            "fr" or "french" => "french",
            "de" or "german" => "german",
            "it" or "italian" => "italian",
            "pt" or "portuguese" => "portuguese",
            "es" or "spanish" => "spanish",
            "nl" or "dutch" => "dutch",
            _ => null,
        };
        if (family != spoken)
            throw new UnsupportedException($"this model speaks {spoken}: load the model of that language.", "Language", requested);
    }

    /// <summary>One request's voice, format and tempo.</summary>
    private sealed record Request(VoiceState Voice, AudioFormat Format, float Speed)
    {
        /// <summary>The samples as they are decoded, time-stretched when the tempo is not 1.</summary>
        public async IAsyncEnumerable<ReadOnlyMemory<float>> Samples(PocketTtsModel model, string text, GenerationOptions generation,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            TimeStretch? stretch = Speed == 1f ? null : new TimeStretch(Speed, model.SampleRate);
            await foreach (AudioChunk chunk in model.GenerateStreamingAsync(text, Voice, generation, cancellationToken).ConfigureAwait(false))
                yield return stretch is null ? chunk.Samples : stretch.Process(chunk.Samples).ToArray();
            if (stretch is not null)
                yield return stretch.Flush().ToArray();
        }
    }
}
