using System.Net;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>
/// OTLP export as an operator turns it on: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> in the environment of a real server
/// process, and a collector on loopback that receives what the exporter sends.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_endpoint_variable_exports_speech_metrics_and_one_trace_per_request()
    {
        await using OtlpReceiver collector = await OtlpReceiver.StartAsync();
        await using ServeProcess server = await ServeProcess.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        (await http.PostAsync("v1/audio/speech", HttpHelpers.Speech("Hello there.", "wav", voice: null))).StatusCode.ShouldBe(HttpStatusCode.OK);

        string[] speechMetrics = ["pocket_tts.time_to_first_audio", "pocket_tts.real_time_factor", "pocket_tts.audio", "http.server.request.duration"];
        List<Metric> metrics = [];
        List<Span> spans = [];
        for (int i = 0; i < 200 && !(speechMetrics.All(name => metrics.Any(m => m.Name == name)) && spans.Any(s => s.Name == "speech.generate")); i++)
        {
            await Task.Delay(100);
            metrics = [.. collector.Bodies("metrics").SelectMany(Metrics)];
            spans = [.. collector.Bodies("traces").SelectMany(Spans)];
        }

        foreach (string name in speechMetrics)
            metrics.ShouldContain(m => m.Name == name, $"{name} exported: {server.Log}");
        metrics.Where(m => m.Name == "pocket_tts.time_to_first_audio").Max(m => m.HistogramCount).ShouldBe(1UL, "one request, one first chunk (cumulative histogram)");
        collector.Bodies("metrics").SelectMany(ServiceNames).Distinct().ShouldBe(["pocket-tts"]);

        Span generate = spans.Single(s => s.Name == "speech.generate");
        Span resolve = spans.Single(s => s.Name == "voice.resolve");
        Span request = spans.Single(s => s.Name.StartsWith("POST", StringComparison.Ordinal));
        generate.TraceId.ShouldBe(request.TraceId, "generation is part of the request's trace");
        resolve.TraceId.ShouldBe(request.TraceId, "voice resolution is part of the request's trace");
        generate.ParentSpanId.ShouldBe(request.SpanId);
        resolve.ParentSpanId.ShouldBe(request.SpanId);
    }

    private sealed record Metric(string Name, ulong HistogramCount);

    private sealed record Span(string Name, string TraceId, string SpanId, string ParentSpanId);

    // ExportMetricsServiceRequest: resource_metrics = 1 → scope_metrics = 2 → metrics = 2 → name = 1, histogram = 9 →
    // data_points = 1 → count = 4 (fixed64).
    private static IEnumerable<Metric> Metrics(byte[] export) =>
        from resource in OtlpWire.Messages(export, 1)
        from scope in OtlpWire.Messages(resource, 2)
        from metric in OtlpWire.Messages(scope, 2)
        let count = OtlpWire.Messages(metric, 9).SelectMany(h => OtlpWire.Messages(h, 1)).SelectMany(p => OtlpWire.Fixed64(p, 4)).Sum(c => (decimal)c)
        select new Metric(OtlpWire.Text(metric, 1)!, (ulong)count);

    // ExportTraceServiceRequest: resource_spans = 1 → scope_spans = 2 → spans = 2 → trace_id = 1, span_id = 2,
    // parent_span_id = 4, name = 5.
    private static IEnumerable<Span> Spans(byte[] export) =>
        from resource in OtlpWire.Messages(export, 1)
        from scope in OtlpWire.Messages(resource, 2)
        from span in OtlpWire.Messages(scope, 2)
        select new Span(OtlpWire.Text(span, 5)!, Hex(span, 1), Hex(span, 2), Hex(span, 4));

    private static string Hex(byte[] message, int field) => Convert.ToHexString(OtlpWire.Messages(message, field).FirstOrDefault() ?? []);

    // resource_metrics = 1 → resource = 1 → attributes = 1 (KeyValue: key = 1, value = 2 → string_value = 1).
    private static IEnumerable<string> ServiceNames(byte[] export) =>
        from resourceMetrics in OtlpWire.Messages(export, 1)
        from resource in OtlpWire.Messages(resourceMetrics, 1)
        from attribute in OtlpWire.Messages(resource, 1)
        where OtlpWire.Text(attribute, 1) == "service.name"
        select OtlpWire.Text(OtlpWire.Messages(attribute, 2).Single(), 1)!;
}
