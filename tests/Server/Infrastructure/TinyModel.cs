using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PocketTts.Host.Models;
using PocketTts.Host.Plugins;
using PocketTts.Hub;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>
/// The tiny fixture model (seeded random weights, tests/Parity/Fixtures/tiny), loaded once for the whole run through
/// the host's own loader, with the services the server needs. The model is thread-safe, so tests share it.
/// </summary>
public static class TinyModel
{
    private static readonly Lazy<Task<Loaded>> Instance = new(LoadAsync);

    public static string Config => RepoPaths.Fixture("tiny/config.yaml");

    /// <summary>The tiny model's exported voice state (a voice file that needs no cloning).</summary>
    public static string VoiceState => RepoPaths.Fixture("voice_state.safetensors");

    /// <summary>The repository's voice-cloning sample.</summary>
    public static string RefWav => Path.Combine(RepoPaths.Root, "ref.wav");

    internal sealed record Loaded(LoadedModel Model, ServiceProvider Services);

    internal static Task<Loaded> GetAsync() => Instance.Value;

    private static async Task<Loaded> LoadAsync()
    {
        string cache = Directory.CreateTempSubdirectory("pocket-tts-server-tests-").FullName;
        var environment = new Dictionary<string, string> { ["HF_HOME"] = Path.Combine(cache, "hf"), ["POCKET_TTS_CACHE"] = Path.Combine(cache, "cache") };
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddBackendPlugins(PluginSearchPath.Resolve([], _ => null));
        services.AddSingleton(_ => new HubClient(HubOptions.FromEnvironment(name => environment.GetValueOrDefault(name))));
        services.AddSingleton<ModelLoader>();
        services.AddSingleton(provider => new VoiceResolver(provider.GetRequiredService<HubClient>(), ffmpegPath: null));
        ServiceProvider provider = services.BuildServiceProvider();
        LoadedModel model = await provider.GetRequiredService<ModelLoader>().LoadAsync(new ModelOptions(null, Config, Quantize: false, Backend: "managed"), null, CancellationToken.None);
        return new Loaded(model, provider);
    }
}
