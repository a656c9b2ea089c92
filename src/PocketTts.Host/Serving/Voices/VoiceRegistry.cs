using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using PocketTts.Audio;
using PocketTts.Config;
using PocketTts.Host.Audio;
using PocketTts.Host.Models;
using PocketTts.Hub;
using PocketTts.IO;
using PocketTts.Voices;

namespace PocketTts.Host.Serving.Voices;

/// <summary>
/// Every voice a request may name: voices registered by <c>POST /v1/audio/voices</c>, the files of
/// <c>--voices-dir</c>, the default voice (<c>--voice</c>), the predefined voices, and OpenAI's voice names as
/// aliases of the default. States come from a <see cref="VoiceStateCache"/> keyed by content, so the same audio
/// reached by two names or uploaded twice is encoded once. Recordings may be WAV or MP3, or, with ffmpeg, any format
/// it reads (converted first). Thread-safe.
/// </summary>
internal sealed class VoiceRegistry
{
    /// <summary>OpenAI's built-in voices: off-the-shelf clients send these, and they get the default voice.</summary>
    public static readonly IReadOnlyList<string> OpenAiVoices = ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar"];

    private static readonly string[] VoiceFileExtensions = [".wav", ".mp3", ".safetensors"];

    private readonly LoadedModel _loaded;
    private readonly VoiceResolver _resolver;
    private readonly HubClient _hub;
    private readonly VoiceStateCache _cache;
    private readonly TimeSpan _maxUploadDuration;
    private readonly DownloadPolicy _urlPolicy;
    private readonly DownloadPolicy _recordingUrlPolicy;   // _urlPolicy, also keeping recordings only ffmpeg reads
    private readonly Dictionary<string, string> _directory = new(StringComparer.OrdinalIgnoreCase);   // name → file
    private readonly RegisteredVoices _registered;
    private readonly VoiceStore? _store;   // with --voice-store, registered voices live there instead of in _registered
    private VoiceState? _default;

    public VoiceRegistry(LoadedModel loaded, VoiceResolver resolver, HubClient hub, ServerOptions options)
    {
        _loaded = loaded;
        _resolver = resolver;
        _hub = hub;
        _cache = new VoiceStateCache(options.VoiceCacheSize);
        _maxUploadDuration = options.MaxUploadDuration;
        _urlPolicy = options.VoiceUrls;
        _recordingUrlPolicy = Ffmpeg.AcceptingWhatItReads(options.VoiceUrls, resolver.FfmpegPath);
        _registered = new RegisteredVoices(options.MaxRegisteredVoices, options.MaxRegisteredVoiceBytes);
        _store = options.VoiceStore is { } store ? new VoiceStore(store, options.MaxRegisteredVoices, options.MaxRegisteredVoiceBytes) : null;
        if (options.VoicesDirectory is { } folder)
        {
            foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                // A FIFO or device named like a voice would block or never end when read: only regular files are voices.
                string extension = Path.GetExtension(file);
                bool voice = VoiceFileExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) || (resolver.FfmpegPath is not null && Ffmpeg.VoiceExtensions.Contains(extension));
                if (voice && !FileType.IsSpecial(file))
                    _directory.TryAdd(Path.GetFileNameWithoutExtension(file), Path.GetFullPath(file));
            }
        }
        DefaultVoice = options.DefaultVoice ?? loaded.DefaultVoice;
    }

    /// <summary>Voice states the cache held when asked (for the metrics).</summary>
    public long CacheHits => _cache.Hits;

    /// <summary>Voice states the cache had to compute (for the metrics).</summary>
    public long CacheMisses => _cache.Misses;

    /// <summary>The default voice as given (a name, file or URL).</summary>
    public string DefaultVoice { get; }

    /// <summary>Resolves the default voice once, so a bad <c>--voice</c> stops the server at startup.</summary>
    /// <exception cref="UsageException">The default voice cannot be resolved.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            _default = IsKnownName(DefaultVoice) ? await GetNamedAsync(DefaultVoice, cancellationToken) : await _resolver.ResolveAsync(_loaded, DefaultVoice, _urlPolicy, cancellationToken);
        }
        catch (ApiException e)
        {
            throw new UsageException($"--voice {DefaultVoice}: {e.Message}", e);
        }
    }

    public IReadOnlyList<VoiceInfo> List()
    {
        var list = new List<VoiceInfo> { new(DefaultVoiceId, "default") };
        list.AddRange((_store?.Names ?? _registered.Names).Select(name => new VoiceInfo(name, "registered")));
        list.AddRange(_directory.Keys.Select(name => new VoiceInfo(name, "directory")));
        if (_loaded.PredefinedVoiceLanguage is not null)
            list.AddRange(PredefinedVoices.All.Select(v => new VoiceInfo(v.Name, "predefined")));
        list.AddRange(OpenAiVoices.Select(name => new VoiceInfo(name, "alias")));
        return [.. list.DistinctBy(v => v.Id, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The name under which the default voice is listed: itself, or the file stem of a path or URL.</summary>
    private string DefaultVoiceId => IsKnownName(DefaultVoice) ? DefaultVoice : Path.GetFileNameWithoutExtension(DefaultVoice.Split('@')[0]);

    /// <summary>The voice a request names (null: the default).</summary>
    /// <exception cref="ApiException">400 for an unknown name; 502 when a predefined voice cannot be downloaded.</exception>
    public Task<VoiceState> GetAsync(string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || string.Equals(name, DefaultVoiceId, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(_default ?? throw new InvalidOperationException("The voice registry was not initialised."));
        return GetNamedAsync(name, cancellationToken);
    }

    private async Task<VoiceState> GetNamedAsync(string name, CancellationToken cancellationToken)
    {
        if (_registered.TryGet(name, out VoiceState? registered))
            return registered!;
        if (_store?.Find(name) is { } stored)
            return await _cache.GetOrAddAsync(stored.Key, () => Task.Run(() => _loaded.Model.LoadVoiceState(stored.Path)));
        if (_directory.TryGetValue(name, out string? file))
            return await FromBytesAsync(InputFile.ReadAllBytes(file, AudioFileReader.MaxFileBytes, "voice"), file, maxDuration: null);
        if (PredefinedVoices.TryGet(name, out PredefinedVoice? predefined) && _loaded.PredefinedVoiceLanguage is { } language)
            return await _cache.GetOrAddAsync($"predefined:{language}/{predefined.Name}", () => Download(() => _resolver.ResolveAsync(_loaded, predefined.Name, _urlPolicy, CancellationToken.None)));
        if (OpenAiVoices.Contains(name, StringComparer.OrdinalIgnoreCase) && _default is not null)
            return _default;
        throw ApiException.BadRequest($"Unknown voice '{name}'. Voices: {string.Join(", ", List().Select(v => v.Id))}.", "voice", "voice_not_found");
    }

    /// <summary>
    /// The reference's <c>voice_url</c>: an http(s) or <c>hf://</c> URL of a WAV/MP3 file or exported state, or a
    /// voice name. URLs are fetched within <see cref="ServerOptions.VoiceUrls"/>: public addresses only (unless
    /// allowed), bounded in size and time, and only audio or a voice state is cached.
    /// </summary>
    public async Task<VoiceState> FromReferenceAsync(string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || reference.StartsWith("hf://", StringComparison.OrdinalIgnoreCase))
        {
            string path = await Download(() => _hub.ResolveAsync(reference, _recordingUrlPolicy, cancellationToken: cancellationToken));
            return await FromBytesAsync(await File.ReadAllBytesAsync(path, cancellationToken), reference, maxDuration: null);
        }
        if (!IsKnownName(reference))
            throw ApiException.BadRequest($"voice_url must start with http://, https:// or hf://, or name a voice this server knows ({string.Join(", ", List().Select(v => v.Id))}).", "voice_url", "voice_not_found");
        return await GetAsync(reference, cancellationToken);
    }

    /// <summary>A voice from uploaded bytes: audio to clone (WAV, MP3, or what ffmpeg reads), or an exported <c>.safetensors</c> state.</summary>
    /// <exception cref="ApiException">400 for unreadable bytes or a model without voice cloning; 413 for audio longer than the limit.</exception>
    public Task<VoiceState> FromUploadAsync(byte[] bytes, string name) => FromBytesAsync(bytes, name, _maxUploadDuration);

    /// <summary>Registers a voice under <paramref name="name"/> (replacing an earlier registration of that name),
    /// evicting the least recently used registered voices past <see cref="ServerOptions.MaxRegisteredVoices"/> or
    /// <see cref="ServerOptions.MaxRegisteredVoiceBytes"/>.</summary>
    public async Task<VoiceInfo> RegisterAsync(string name, byte[] bytes, string fileName)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw ApiException.BadRequest("A voice name has 1 to 64 characters: ASCII letters, digits, '_', '-' and '.'.", "name", "invalid_voice_name");
        bool taken = _directory.ContainsKey(name) || PredefinedVoices.TryGet(name, out _) || OpenAiVoices.Contains(name, StringComparer.OrdinalIgnoreCase)
            || string.Equals(name, DefaultVoiceId, StringComparison.OrdinalIgnoreCase);
        if (taken)
            throw new ApiException(StatusCodes.Status409Conflict, $"'{name}' already names a voice that cannot be replaced; choose another name.", "name", "voice_exists");
        VoiceState state = await FromUploadAsync(bytes, fileName);
        if (_store is not null)
            _store.Add(name, state);
        else
            _registered.Add(name, state);
        return new VoiceInfo(name, "registered");
    }

    private bool IsKnownName(string name)
    {
        return _registered.Contains(name) || _store?.Find(name) is not null || _directory.ContainsKey(name) || (PredefinedVoices.TryGet(name, out _) && _loaded.PredefinedVoiceLanguage is not null)
            || (OpenAiVoices.Contains(name, StringComparer.OrdinalIgnoreCase) && _default is not null);
    }

    private Task<VoiceState> FromBytesAsync(byte[] bytes, string name, TimeSpan? maxDuration)
    {
        string key = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        return _cache.GetOrAddAsync(key, () => Task.Run(() => ComputeAsync(bytes, name, maxDuration)));
    }

    private async Task<VoiceState> ComputeAsync(byte[] bytes, string name, TimeSpan? maxDuration)
    {
        if (LooksLikeSafetensors(bytes))
        {
            try
            {
                return _loaded.Model.LoadVoiceState(bytes, "the file");
            }
            catch (InvalidDataException e)
            {
                throw ApiException.BadRequest($"{name}: not a voice state for this model: {e.Message}", "voice", "invalid_voice");
            }
        }

        AudioClip clip;
        try
        {
            clip = AudioFileReader.Read(await Ffmpeg.ToReadableAsync(_resolver.FfmpegPath, bytes, name, CancellationToken.None), name);
        }
        catch (InvalidDataException e)
        {
            throw ApiException.BadRequest(e.Message, "voice", "invalid_audio");
        }
        TimeSpan duration = TimeSpan.FromSeconds((double)clip.Samples.Length / clip.SampleRate);
        if (maxDuration is { } limit && duration > limit)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                $"{name}: the voice sample lasts {duration.TotalSeconds:0.#} s; the limit is {limit.TotalSeconds:0.#} s (only the first {PocketTtsModel.MaxVoicePromptDuration.TotalSeconds:0} s are used).",
                "voice", "audio_too_long");
        }
        if (!_loaded.HasVoiceCloning)
            throw ApiException.BadRequest("This server's model was loaded without voice cloning, so it cannot clone a voice from audio: use a predefined voice or an exported .safetensors state.", "voice", "voice_cloning_unavailable");
        if (clip.Samples.Length == 0)
            throw ApiException.BadRequest($"{name}: the audio has no samples.", "voice", "invalid_audio");
        return _loaded.Model.CreateVoiceState(clip.Samples, clip.SampleRate);
    }

    /// <summary>safetensors: an 8-byte little-endian header length, then a JSON header.</summary>
    private static bool LooksLikeSafetensors(byte[] bytes) =>
        bytes.Length > 9 && bytes[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(bytes) < (ulong)bytes.Length;

    private async Task<T> Download<T>(Func<Task<T>> download)
    {
        try
        {
            return await download();
        }
        catch (HubException e)
        {
            throw e.Kind switch
            {
                HubErrorKind.Refused => ApiException.BadRequest($"voice_url refused: {e.Message}", "voice_url", "voice_url_refused"),
                HubErrorKind.TooLarge => ApiException.BadRequest($"voice_url refused: {e.Message}", "voice_url", "voice_url_too_large"),
                // Not e.Url: for an hf:// reference that is the CDN's signed location, not what the client sent.
                HubErrorKind.InvalidContent => ApiException.BadRequest(
                    $"voice_url refused: the file is neither WAV nor MP3 audio nor an exported voice state{(_resolver.FfmpegPath is null ? "" : ", and ffmpeg could not read it as audio")}, so it was not kept. {AudioFileReader.Accepted}",
                    "voice_url", "invalid_audio"),
                // The offline message names the server's cache folder: a client need not know it.
                HubErrorKind.Offline => new ApiException(StatusCodes.Status502BadGateway, "Could not fetch the voice: the server is offline and the voice is not in its cache.",
                                                         "voice", "voice_download_failed", OpenAiError.ServerError),
                _ => new ApiException(StatusCodes.Status502BadGateway, $"Could not fetch the voice: {e.Message}", "voice", "voice_download_failed", OpenAiError.ServerError),
            };
        }
        catch (FormatException e)
        {
            throw ApiException.BadRequest($"Malformed voice reference: {e.Message}", "voice_url", "invalid_voice_url");
        }
    }
}
