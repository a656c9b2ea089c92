using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PocketTts.Audio.Encoders;
using PocketTts.Host.Models;
using PocketTts.Host.Serving.Operations;
using PocketTts.Host.Serving.Voices;

namespace PocketTts.Host.Serving;

/// <summary>The composition root of <c>pocket-tts serve</c>: Kestrel, the services the endpoints share, CORS, errors, routes.</summary>
internal static class TtsServer
{
    // Room for the multipart framing and the form fields around an upload of the largest accepted size.
    private const long FormOverheadBytes = 1 << 20;

    /// <summary>Builds the server around a loaded model, ready to serve once started; the caller starts it and owns the model.</summary>
    /// <param name="loaded">The model every request shares.</param>
    /// <param name="options">Address, voices and limits (validated here).</param>
    /// <param name="voices">The voice registry, already initialised.</param>
    /// <param name="encoders">The audio encoders.</param>
    /// <param name="logging">Where logs go; null discards them.</param>
    public static WebApplication Build(LoadedModel loaded, ServerOptions options, VoiceRegistry voices, AudioEncoderFactory encoders, ILoggerProvider? logging = null)
    {
        WebApplication app = Build(options, encoders, logging);
        Open(app, loaded, voices);
        return app;
    }

    /// <summary>
    /// Builds the server before the model is loaded: once started, it answers <c>/health</c> and <c>/ready</c> (503)
    /// and refuses work with 503 until <see cref="Open"/> hands it the model.
    /// </summary>
    /// <param name="options">Address, voices and limits (validated here).</param>
    /// <param name="encoders">The audio encoders.</param>
    /// <param name="logging">Where logs go; null discards them.</param>
    public static WebApplication Build(ServerOptions options, AudioEncoderFactory encoders, ILoggerProvider? logging = null)
    {
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, options.Host, options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes + FormOverheadBytes;
            // RequestGuard enforces the usual limits with an error body; Kestrel's own replies past these are empty.
            kestrel.Limits.MaxRequestLineSize = RequestGuard.MaxTargetBytes * RequestGuard.KestrelSlack;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestGuard.MaxHeaderBytes * RequestGuard.KestrelSlack;
            kestrel.Limits.MaxRequestHeaderCount = RequestGuard.MaxHeaderCount * RequestGuard.KestrelSlack;
        });
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = options.MaxUploadBytes + FormOverheadBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(encoders);
        builder.Services.AddSingleton(new GenerationLimiter(options.MaxConcurrentGenerations, options.MaxQueuedRequests, options.QueueTimeout));
        builder.Services.AddSingleton<ServerReadiness>();
        builder.Services.AddSingleton(services => services.GetRequiredService<ServerReadiness>().Server);
        builder.Services.AddSingleton<GracefulDrain>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GracefulDrain>());
        builder.Services.AddApiDocument(options.MetricsEnabled);
        builder.Services.AddTelemetry(options);
        if (options.CorsOrigins.Count > 0)
            builder.Services.AddCors();

        WebApplication app = builder.Build();
        app.UseOpenAiErrors();
        app.UseRequestGuard(options);
        app.UseReadinessGate();
        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors(policy =>
            {
                if (options.CorsOrigins.Contains("*"))
                    policy.AllowAnyOrigin();
                else
                    policy.WithOrigins([.. options.CorsOrigins]).AllowCredentials();
                policy.AllowAnyMethod().AllowAnyHeader().WithExposedHeaders("Retry-After", "Content-Disposition");
            });
        }
        app.UseWebSockets();
        app.MapTtsApi();
        app.MapApiDocument();
        app.MapMetrics(options);
        app.Services.GetRequiredService<ServerMetrics>(); // creates the meters now, so /metrics lists the gauges before the first request
        if (options.BrowserDirectory is not null)
            app.MapBrowserDemo(options.BrowserDirectory);
        return app;
    }

    /// <summary>Hands the started (or not yet started) server its model and voices: from now on it serves.</summary>
    /// <param name="app">A server from <see cref="Build(ServerOptions, AudioEncoderFactory, ILoggerProvider?)"/>.</param>
    /// <param name="loaded">The model every request shares; the caller owns it.</param>
    /// <param name="voices">The voice registry, already initialised (the default voice loaded).</param>
    public static void Open(WebApplication app, LoadedModel loaded, VoiceRegistry voices) =>
        app.Services.GetRequiredService<ServerReadiness>().Open(ActivatorUtilities.CreateInstance<SpeechServer>(app.Services, loaded, voices));

    /// <summary>The addresses the started server listens on (with the real port when 0 was asked).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    private static void Listen(KestrelServerOptions kestrel, string host, int port)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, listen => listen.UseJsonRejections());
        }
        else if (host is "*" or "0.0.0.0" or "::" or "[::]")   // ServerOptions.BindsEveryInterface
        {
            kestrel.ListenAnyIP(port, listen => listen.UseJsonRejections());
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address))
        {
            kestrel.Listen(address, port, listen => listen.UseJsonRejections());
        }
        else
        {
            IPAddress[] resolved = Dns.GetHostAddresses(host);
            if (resolved.Length == 0)
                throw new UsageException($"--host {host} does not resolve to an address.");
            kestrel.Listen(resolved[0], port, listen => listen.UseJsonRejections());
        }
    }
}
