using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PocketTts.Audio.Encoders;
using PocketTts.Generation;
using PocketTts.Host.Cli;
using PocketTts.Host.Models;
using PocketTts.Host.Serving;
using PocketTts.Host.Serving.Voices;
using PocketTts.Hub;
using PocketTts.Voices;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>
/// A real <c>pocket-tts serve</c> (Kestrel on 127.0.0.1, a free port) around the tiny model, with a voices folder
/// holding <c>tiny.safetensors</c> (the default voice) and <c>ref.wav</c>. Generation never stops at end of speech
/// (an infinite threshold), so every chunk runs its full length and the audio length is known.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    /// <summary>Deterministic generation: fixed length (no EOS), seeded noise.</summary>
    public static readonly GenerationOptions Generation = new() { EosThreshold = float.PositiveInfinity, Seed = 7 };

    private readonly WebApplication _app;
    private readonly string _voices;

    private TestServer(WebApplication app, string voices, LoadedModel model, SpeechServer speech)
    {
        _app = app;
        _voices = voices;
        Model = model;
        Speech = speech;
        BaseAddress = new Uri(TtsServer.Addresses(app).Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    internal LoadedModel Model { get; }

    internal SpeechServer Speech { get; }

    internal GenerationLimiter Limiter => Speech.Limiter;

    /// <summary>The server's services (its endpoints, its metrics…).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="configure"/> adjusts the options (limits, ffmpeg…); <paramref name="log"/> receives its log.</summary>
    internal static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, string? ffmpeg = "/usr/bin/ffmpeg", TextWriter? log = null)
    {
        TinyModel.Loaded tiny = await TinyModel.GetAsync();
        string voices = Directory.CreateTempSubdirectory("pocket-tts-voices-").FullName;
        File.Copy(TinyModel.VoiceState, Path.Combine(voices, "tiny.safetensors"));
        File.Copy(TinyModel.RefWav, Path.Combine(voices, "ref.wav"));
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, DefaultVoice = "tiny", VoicesDirectory = voices, Generation = Generation };
        options = configure?.Invoke(options) ?? options;
        string? ffmpegPath = ffmpeg is not null && File.Exists(ffmpeg) ? ffmpeg : null;
        var hub = tiny.Services.GetRequiredService<HubClient>();
        var registry = new VoiceRegistry(tiny.Model, new VoiceResolver(hub, ffmpegPath), hub, options);
        await registry.InitializeAsync(CancellationToken.None);
        WebApplication app = TtsServer.Build(tiny.Model, options, registry, new AudioEncoderFactory(ffmpegPath, Host.Audio.Ffmpeg.Hint),
                                            log is null ? null : new CliLoggerProvider(log, LogLevel.Information));
        await app.StartAsync();
        return new TestServer(app, voices, tiny.Model, app.Services.GetRequiredService<SpeechServer>());
    }

    /// <summary>What the model itself generates for this text and seed, in the default voice (the oracle).</summary>
    internal async Task<float[]> ExpectedAsync(string text, int seed = 7, string voice = "tiny") =>
        await Model.Model.GenerateAsync(text, await VoiceAsync(voice), Generation with { Seed = seed });

    internal Task<VoiceState> VoiceAsync(string name) => Speech.Voices.GetAsync(name, CancellationToken.None);

    /// <summary>Waits until no generation runs (they finish on their own threads after a response ends).</summary>
    internal async Task WaitIdleAsync(TimeSpan? timeout = null)
    {
        DateTime end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Limiter.Running > 0 || Limiter.Waiting > 0)
        {
            if (DateTime.UtcNow > end)
                throw new TimeoutException($"{Limiter.Running} generation(s) still running, {Limiter.Waiting} waiting.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_voices, recursive: true);
    }
}
