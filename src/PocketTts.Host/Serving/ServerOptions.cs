using System.Net;
using PocketTts.Generation;
using PocketTts.Hub;
using PocketTts.Voices;

namespace PocketTts.Host.Serving;

/// <summary>How <c>pocket-tts serve</c> listens, which voices it knows and the limits it enforces.</summary>
internal sealed record ServerOptions
{
    /// <summary>Host name or IP address to bind; <c>localhost</c> binds the loopback interfaces, <c>0.0.0.0</c> or <c>*</c> every interface.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>TCP port; 0 picks a free one (not with <c>localhost</c>, which binds two interfaces).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>The voice used when a request names none: any voice name, file, URL or <c>hf://</c> reference; null is the language's default.</summary>
    public string? DefaultVoice { get; init; }

    /// <summary>A folder whose WAV, MP3 and exported <c>.safetensors</c> files become voices named after their file stems.</summary>
    public string? VoicesDirectory { get; init; }

    /// <summary>Generations that run at once; each uses two threads plus the backend's own.</summary>
    public int MaxConcurrentGenerations { get; init; } = 2;

    /// <summary>Requests that may wait for a generation slot; beyond this the server answers 429.</summary>
    public int MaxQueuedRequests { get; init; } = 16;

    /// <summary>How long a request may wait in the queue before the server answers 503.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest text accepted, in characters (OpenAI's limit is 4096).</summary>
    public int MaxTextLength { get; init; } = 4096;

    /// <summary>Largest voice upload accepted, in bytes.</summary>
    public long MaxUploadBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>Longest voice upload accepted (only the first 30 s are used for the voice).</summary>
    public TimeSpan MaxUploadDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one generation may run before it is cut off.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Origins allowed by CORS (<c>*</c> allows any); empty sends no CORS headers.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Voice states kept in memory, least recently used evicted first.</summary>
    public int VoiceCacheSize { get; init; } = 16;

    /// <summary>
    /// A folder where registered voices are kept as files, so that server processes sharing it (replicas behind a
    /// load balancer) see the same voices; null keeps them in this process's memory.
    /// </summary>
    public string? VoiceStore { get; init; }

    /// <summary>Voices <c>POST /v1/audio/voices</c> may hold at once; registering more evicts the least recently used.</summary>
    public int MaxRegisteredVoices { get; init; } = 32;

    /// <summary>Memory the states of registered voices may take in all, in bytes (a 30 s voice of the real model takes
    /// about 18 MiB); registering past it evicts the least recently used.</summary>
    public long MaxRegisteredVoiceBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How voice URLs (<c>voice_url</c>, a URL as the default voice) are fetched: public addresses only by
    /// default, at most 50 MiB, within timeouts, and cached only when they hold audio or a voice state.</summary>
    public DownloadPolicy VoiceUrls { get; init; } = VoiceDownloads.Policy();

    /// <summary>
    /// Host names (without port) a request's <c>Host</c> header may carry besides the names of the bound address
    /// (<c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> for loopback): the defence against DNS rebinding, where a
    /// web page under the attacker's name reaches this server. <c>*</c> accepts any. Ignored when bound to every
    /// interface, which accepts any name.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// How long shutdown (SIGTERM, Ctrl+C) waits for the generations in flight to finish while it refuses new requests
    /// with 503; the streams still running then are cut off.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether <c>/metrics</c> is served; null serves it when bound to loopback only (see <see cref="MetricsEnabled"/>).</summary>
    public bool? Metrics { get; init; }

    /// <summary>Whether <c>/metrics</c> is served: as asked, else on loopback and not on other interfaces (whose
    /// clients need not learn the server's load).</summary>
    public bool MetricsEnabled => Metrics ?? BindsLoopback;

    /// <summary>Whether metrics and traces are exported over OTLP (set when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is).</summary>
    public bool OtlpExport { get; init; }

    /// <summary>Whether the server listens on loopback only (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>).</summary>
    public bool BindsLoopback => string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
                                 || (IPAddress.TryParse(Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));

    /// <summary>Whether the server listens on every interface (<c>0.0.0.0</c>, <c>::</c> or <c>*</c>).</summary>
    public bool BindsEveryInterface => Host is "*" or "0.0.0.0" or "::" or "[::]";

    /// <summary>The ffmpeg executable for mp3, aac and flac; null searches PATH.</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>
    /// Generation settings every request starts from; a request's own seed replaces <see cref="GenerationOptions.Seed"/>.
    /// </summary>
    public GenerationOptions Generation { get; init; } = new();

    /// <summary>
    /// A published browser build (the <c>wwwroot</c> of <c>dotnet publish src/PocketTts.Browser</c>) to host at
    /// <c>/browser/</c>, with the server's own model files under <c>/browser/model/</c>; null hosts none.
    /// </summary>
    public string? BrowserDirectory { get; init; }

    /// <summary>Throws a <see cref="UsageException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new UsageException($"--port {Port} is not a TCP port (0-65535).");
        if (Port == 0 && string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase))
            throw new UsageException("--port 0 needs an IP address as --host (localhost binds two interfaces, which cannot share a random port): use --host 127.0.0.1.");
        if (MaxConcurrentGenerations < 1)
            throw new UsageException($"--max-concurrent must be ≥ 1 (got {MaxConcurrentGenerations}).");
        if (MaxQueuedRequests < 0)
            throw new UsageException($"--max-queue must be ≥ 0 (got {MaxQueuedRequests}).");
        if (QueueTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || ShutdownTimeout < TimeSpan.Zero)
            throw new UsageException("--queue-timeout and --request-timeout must be positive numbers of seconds, --shutdown-timeout zero or more.");
        if (MaxTextLength < 1)
            throw new UsageException($"--max-text-length must be ≥ 1 (got {MaxTextLength}).");
        if (MaxUploadBytes < 1 || MaxUploadDuration <= TimeSpan.Zero)
            throw new UsageException("--max-upload-mb and --max-upload-seconds must be positive.");
        if (VoiceCacheSize < 1)
            throw new UsageException($"--voice-cache-size must be ≥ 1 (got {VoiceCacheSize}).");
        if (MaxRegisteredVoices < 1 || MaxRegisteredVoiceBytes < 1)
            throw new UsageException("--max-registered-voices and --max-registered-voices-mb must be positive.");
        if (BrowserDirectory is not null && !File.Exists(Path.Combine(BrowserDirectory, "pocket-tts.js")))
            throw new UsageException($"--browser-dir {BrowserDirectory} holds no browser build (pocket-tts.js): publish one with dotnet publish src/PocketTts.Browser -c Release -o DIR and give DIR/wwwroot.");
        if (VoicesDirectory is not null && !Directory.Exists(VoicesDirectory))
            throw new UsageException($"--voices-dir does not exist: {VoicesDirectory}");
        try
        {
            Generation.Validate();
        }
        catch (InvalidInputException e)
        {
            throw new UsageException(Cli.CliErrors.Describe(e), e);
        }
    }
}
