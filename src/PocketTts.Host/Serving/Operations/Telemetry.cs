using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// OpenTelemetry for the server: <see cref="ServerMetrics"/> and ASP.NET Core's request metrics at <c>/metrics</c>
/// (Prometheus text) when <see cref="ServerOptions.MetricsEnabled"/>, and metrics and traces over OTLP when
/// <see cref="ServerOptions.OtlpExport"/> (the exporter reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and the other
/// standard variables itself).
/// </summary>
internal static class Telemetry
{
    public static void AddTelemetry(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<ServerMetrics>();
        if (!options.MetricsEnabled && !options.OtlpExport)
            return;
        OpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pocket-tts"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerMetrics.Name).AddAspNetCoreInstrumentation();
                if (options.MetricsEnabled)
                    metrics.AddPrometheusExporter();
            });
        if (options.OtlpExport)
            telemetry.WithTracing(tracing => tracing.AddSource(ServerMetrics.Name).AddAspNetCoreInstrumentation()).UseOtlpExporter();
    }

    /// <summary>Maps <c>/metrics</c> when metrics are on; it answers while the model loads and while the server drains.</summary>
    public static void MapMetrics(this WebApplication app, ServerOptions options)
    {
        if (options.MetricsEnabled)
            app.MapPrometheusScrapingEndpoint(ServerMetrics.Route).AvailableWhileNotReady();
    }

}
