using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PocketTts.Audio.Encoders;
using PocketTts.Host.Models;
using PocketTts.Host.Serving;
using PocketTts.Host.Serving.Voices;
using PocketTts.Hub;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts serve</c>: the reference's HTTP server (web page, <c>/tts</c>) plus OpenAI's speech API, until Ctrl+C.</summary>
internal static class ServeCommand
{
    private static readonly Option<string> HostName = new("--host") { Description = "Host name or IP address to bind (0.0.0.0 for every interface).", DefaultValueFactory = _ => "localhost" };
    private static readonly Option<int> Port = new("--port") { Description = "Port to bind (0 picks a free one; needs an IP address as --host).", DefaultValueFactory = _ => 8000 };
    // --default-voice is the reference's 3.x name; --voice, this server's earlier one, stays an alias.
    private static readonly Option<string?> Voice = new("--default-voice", "--voice") { Description = "Default voice: a predefined name, WAV/MP3 file, exported .safetensors state, http(s) URL or hf:// reference. Default: the language's voice." };
    private static readonly Option<string?> BrowserDir = new("--browser-dir")
    {
        Description = "Host a published browser build (DIR/wwwroot of dotnet publish src/PocketTts.Browser -o DIR) at /browser/, running this server's model in the visitor's browser.",
    };

    private static readonly Option<string?> VoicesDir = new("--voices-dir") { Description = "A folder whose WAV, MP3 and .safetensors files become voices named after their file stems." };
    private static readonly Option<string?> VoiceStore = new("--voice-store")
    {
        Description = "Keep registered voices as files in this folder (created if missing), shared by every server process that is given it. Default: in memory.",
    };
    private static readonly Option<int> MaxConcurrent = new("--max-concurrent") { Description = "Generations that run at once.", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> MaxQueue = new("--max-queue") { Description = "Requests that may wait for a slot; more get 429 with Retry-After.", DefaultValueFactory = _ => 16 };
    private static readonly Option<double> QueueTimeout = new("--queue-timeout") { Description = "Seconds a request may wait for a slot before it gets 503 with Retry-After.", DefaultValueFactory = _ => 60 };
    private static readonly Option<int> MaxTextLength = new("--max-text-length") { Description = "Longest text accepted, in characters.", DefaultValueFactory = _ => 4096 };
    private static readonly Option<double> MaxUploadMb = new("--max-upload-mb") { Description = "Largest voice upload, in MiB.", DefaultValueFactory = _ => 20 };
    private static readonly Option<double> MaxUploadSeconds = new("--max-upload-seconds") { Description = "Longest voice upload, in seconds (the first 30 s are used).", DefaultValueFactory = _ => 120 };
    private static readonly Option<double> RequestTimeout = new("--request-timeout") { Description = "Seconds one generation may run.", DefaultValueFactory = _ => 600 };
    private static readonly Option<double> ShutdownTimeout = new("--shutdown-timeout")
    {
        Description = "Seconds SIGTERM or Ctrl+C waits for the streams in flight to finish (new requests get 503 meanwhile) before it cuts them off.",
        DefaultValueFactory = _ => 30,
    };
    private static readonly Option<string[]> CorsOrigin = new("--cors-origin") { Description = "An origin allowed to call the API from a browser (repeatable; * for any). Default: none." };
    private static readonly Option<int> VoiceCacheSize = new("--voice-cache-size") { Description = "Voice states kept in memory.", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> MaxRegisteredVoices = new("--max-registered-voices")
    {
        Description = "Voices POST /v1/audio/voices may hold; registering more evicts the least recently used.",
        DefaultValueFactory = _ => 32,
    };
    private static readonly Option<double> MaxRegisteredVoicesMb = new("--max-registered-voices-mb")
    {
        Description = "Memory the registered voices' states may take in all, in MiB (about 18 per 30 s voice); past it the least recently used are evicted.",
        DefaultValueFactory = _ => 256,
    };
    private static readonly Option<string[]> AllowedHosts = new("--allowed-hosts")
    {
        Description = "A host name the Host header may carry besides the bound address's names (repeatable; * for any). Refusing other names defends against DNS rebinding.",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<bool?> Metrics = new("--metrics")
    {
        Description = "Serve Prometheus metrics at /metrics (--metrics false: not). Default: on when bound to loopback, off on other interfaces. " +
                      "OTEL_EXPORTER_OTLP_ENDPOINT also exports metrics and traces over OTLP.",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private static readonly Option<string?> Ffmpeg = new("--ffmpeg") { Description = "The ffmpeg executable for mp3, aac and flac (default: found on PATH)." };

    public static Command Create(CliContext context)
    {
        var command = new Command("serve", """
            Serve speech over HTTP: a web page at /, the reference's POST /tts, and OpenAI's POST /v1/audio/speech.

            Examples:
              pocket-tts serve
              pocket-tts serve --host 0.0.0.0 --port 8080 --voices-dir ./voices --max-concurrent 4
              curl -X POST localhost:8000/v1/audio/speech -H 'Content-Type: application/json' \
                -d '{"model":"pocket-tts","input":"Hello!","voice":"alba","response_format":"wav"}' -o hello.wav
            """);
        foreach (Option option in new Option[]
                 {
                     HostName, Port, ModelCliOptions.Language, ModelCliOptions.Config, ModelCliOptions.Quantize, ModelCliOptions.OnnxGraphs, ModelCliOptions.Checkpoint, ModelCliOptions.Device, ModelCliOptions.Threads,
                     ModelCliOptions.Quiet, Voice, VoicesDir, VoiceStore, MaxConcurrent, MaxQueue, QueueTimeout, MaxTextLength, MaxUploadMb, MaxUploadSeconds,
                     RequestTimeout, ShutdownTimeout, Metrics, CorsOrigin, VoiceCacheSize, MaxRegisteredVoices, MaxRegisteredVoicesMb, AllowedHosts, Ffmpeg, BrowserDir,
                 }.Concat(GenerationCliOptions.All).Concat(VoiceUrlCliOptions.All))
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, services => RunAsync(parse, context, services, cancellationToken), cancellationToken));
        return command;
    }

    internal static ServerOptions ReadOptions(ParseResult parse, Func<string, string?> environment) => new()
    {
        Host = parse.GetValue(HostName)!,
        Port = parse.GetValue(Port),
        DefaultVoice = parse.GetValue(Voice),
        VoicesDirectory = parse.GetValue(VoicesDir),
        VoiceStore = parse.GetValue(VoiceStore),
        BrowserDirectory = parse.GetValue(BrowserDir),
        MaxConcurrentGenerations = parse.GetValue(MaxConcurrent),
        MaxQueuedRequests = parse.GetValue(MaxQueue),
        QueueTimeout = Seconds(parse.GetValue(QueueTimeout), "--queue-timeout"),
        MaxTextLength = parse.GetValue(MaxTextLength),
        MaxUploadBytes = (long)(parse.GetValue(MaxUploadMb) * 1024 * 1024),
        MaxUploadDuration = Seconds(parse.GetValue(MaxUploadSeconds), "--max-upload-seconds"),
        RequestTimeout = Seconds(parse.GetValue(RequestTimeout), "--request-timeout"),
        ShutdownTimeout = parse.GetValue(ShutdownTimeout) is >= 0 and var drain && double.IsFinite(drain)
            ? TimeSpan.FromSeconds(drain) : throw new UsageException($"--shutdown-timeout must be zero or more seconds (got {parse.GetValue(ShutdownTimeout)})."),
        CorsOrigins = parse.GetValue(CorsOrigin) ?? [],
        VoiceCacheSize = parse.GetValue(VoiceCacheSize),
        MaxRegisteredVoices = parse.GetValue(MaxRegisteredVoices),
        MaxRegisteredVoiceBytes = (long)(parse.GetValue(MaxRegisteredVoicesMb) * 1024 * 1024),
        AllowedHosts = parse.GetValue(AllowedHosts) ?? [],
        Metrics = parse.GetValue(Metrics),
        OtlpExport = !string.IsNullOrEmpty(environment("OTEL_EXPORTER_OTLP_ENDPOINT")),
        VoiceUrls = VoiceUrlCliOptions.Read(parse),
        FfmpegPath = parse.GetValue(Ffmpeg),
        Generation = GenerationCliOptions.Read(parse),
    };

    /// <summary>
    /// How long the command line lets <c>serve</c> run after SIGTERM or Ctrl+C before it ends the process: the drain
    /// (<c>--shutdown-timeout</c>) and a margin to close; null for the other commands, which keep the default.
    /// </summary>
    internal static TimeSpan? ProcessTerminationTimeout(ParseResult parse) =>
        parse.CommandResult.Command.Name == "serve" && parse.GetValue(ShutdownTimeout) is var drain && double.IsFinite(drain) && drain >= 0
            ? TimeSpan.FromSeconds(drain) + TimeSpan.FromSeconds(5)
            : null;

    private static TimeSpan Seconds(double value, string option) =>
        value > 0 && double.IsFinite(value) ? TimeSpan.FromSeconds(value) : throw new UsageException($"{option} must be a positive number of seconds (got {value}).");

    private static async Task<int> RunAsync(ParseResult parse, CliContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        ServerOptions options = ReadOptions(parse, context.GetEnvironment);
        options.Validate();
        AudioEncoderFactory encoders = Audio.Ffmpeg.Encoders(options.FfmpegPath, context.GetEnvironment);

        bool quiet = parse.GetValue(ModelCliOptions.Quiet);
        // The port opens first, so that probes get an answer (/ready: 503) while the model downloads and loads.
        await using WebApplication app = TtsServer.Build(options, encoders, new CliLoggerProvider(context.Error, quiet ? LogLevel.Error : LogLevel.Information));
        await app.StartAsync(cancellationToken);
        LoadedModel? loaded = null;
        try
        {
            loaded = await DownloadProgressDisplay.RunAsync(context.Error, quiet,
                progress => services.GetRequiredService<ModelLoader>().LoadAsync(ModelCliOptions.Read(parse), progress, cancellationToken));
            // The server's ffmpeg (--ffmpeg, else PATH) also converts its voice recordings.
            var resolver = new VoiceResolver(services.GetRequiredService<HubClient>(), encoders.FfmpegPath);
            var voices = new VoiceRegistry(loaded, resolver, services.GetRequiredService<HubClient>(), options);
            await voices.InitializeAsync(cancellationToken);
            TtsServer.Open(app, loaded, voices);

            foreach (string address in TtsServer.Addresses(app))
                context.Log(parse, $"Serving Pocket TTS on {address} (web page at /, OpenAI API at /v1). Press Ctrl+C to stop.");
            if (options.BindsEveryInterface)
            {
                // Printed even with -q: whoever can reach this machine can now use it.
                await context.Error.WriteLineAsync($"warning: --host {options.Host} serves every network interface, and the server has no authentication: " +
                                                   "anyone who can reach this machine can generate speech and register voices. Put an authenticating reverse proxy in front, or bind --host localhost.");
            }
            if (encoders.FfmpegPath is null)
                context.Log(parse, "ffmpeg was not found: mp3, aac and flac are unavailable (wav, pcm and opus work).");
            await app.WaitForShutdownAsync(cancellationToken);
        }
        finally
        {
            // Drains: new requests get 503 while the streams in flight finish (up to --shutdown-timeout); the model
            // they use is released after.
            await app.StopAsync(CancellationToken.None);
            loaded?.Dispose();
        }
        return 0;
    }
}
