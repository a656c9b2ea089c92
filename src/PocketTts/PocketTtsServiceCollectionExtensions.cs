using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace PocketTts;

/// <summary>Registers Pocket TTS with a dependency injection container.</summary>
[Experimental("MEAI001")]
public static partial class PocketTtsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PocketTtsSpeechClient"/>, also as <see cref="ITextToSpeechClient"/>, loaded by
    /// <see cref="PocketTtsSpeechClient.LoadAsync"/> from the <see cref="PocketTtsOptions"/> of the options pattern
    /// (<paramref name="configure"/>, and any <c>Configure&lt;PocketTtsOptions&gt;</c> or configuration binding). The
    /// model loads, downloading its files when missing, when the client is first resolved; the container disposes it.
    /// Wrap it in Microsoft.Extensions.AI middleware with
    /// <c>services.AddTextToSpeechClient(sp =&gt; sp.GetRequiredService&lt;PocketTtsSpeechClient&gt;()).UseLogging()</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddLogging().AddPocketTts(options => options.Language = "english");
    /// var speech = provider.GetRequiredService&lt;ITextToSpeechClient&gt;();
    /// </code>
    /// </example>
    /// <param name="services">The container to add to.</param>
    /// <param name="configure">Sets the options; none gives the command line's defaults (english, its voice).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddPocketTts(this IServiceCollection services, Action<PocketTtsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PocketTtsOptions> options = services.AddOptions<PocketTtsOptions>();
        if (configure is not null)
            options.Configure(configure);
        services.TryAddSingleton(Load);
        services.TryAddSingleton<ITextToSpeechClient>(sp => sp.GetRequiredService<PocketTtsSpeechClient>());
        return services;
    }

    private static PocketTtsSpeechClient Load(IServiceProvider services)
    {
        PocketTtsOptions options = services.GetRequiredService<IOptions<PocketTtsOptions>>().Value;
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(PocketTtsSpeechClient)) ?? NullLogger.Instance;
        string model = options.Language ?? options.ConfigPath ?? "english";
        LogLoading(logger, model);
        // A factory is synchronous; the load runs on the thread pool so that no synchronization context is waited on.
        PocketTtsSpeechClient client = Task.Run(() => PocketTtsSpeechClient.LoadAsync(options)).GetAwaiter().GetResult();
        LogLoaded(logger, model, client.DefaultVoiceName);
        return client;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading Pocket TTS model {Model}")]
    private static partial void LogLoading(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded Pocket TTS model {Model}, default voice {Voice}")]
    private static partial void LogLoaded(ILogger logger, string model, string voice);
}
