using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>
/// An OTLP/HTTP receiver on loopback (protobuf bodies at <c>/v1/metrics</c>, <c>/v1/traces</c>, <c>/v1/logs</c>), as
/// a collector would be: it keeps the request bodies so a test can read what an exporter sent.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _received = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The endpoint to give the exporter (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public Uri Endpoint => new(_app.Urls.Single());

    /// <summary>The bodies received so far for one signal (<c>metrics</c>, <c>traces</c>, <c>logs</c>).</summary>
    public IReadOnlyList<byte[]> Bodies(string signal) => [.. _received.Where(r => r.Signal == signal).Select(r => r.Body)];

    public static async Task<OtlpReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._received.Enqueue((signal, body.ToArray()));
            // An empty Export*ServiceResponse: nothing rejected.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Reads OTLP protobuf messages field by field (Google.Protobuf's wire reader, no generated classes): enough to
/// walk from an export request down to metric and span names.
/// </summary>
public static class OtlpWire
{
    /// <summary>The length-delimited fields numbered <paramref name="field"/> in <paramref name="message"/>.</summary>
    public static IEnumerable<byte[]> Messages(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes().ToByteArray());
            else
                input.SkipLastField();
        }
        return found;
    }

    /// <summary>The first string field numbered <paramref name="field"/>, or null.</summary>
    public static string? Text(byte[] message, int field) =>
        Messages(message, field).Select(bytes => System.Text.Encoding.UTF8.GetString(bytes)).FirstOrDefault();

    /// <summary>The fixed64 fields numbered <paramref name="field"/> (a histogram point's count is one).</summary>
    public static IEnumerable<ulong> Fixed64(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var found = new List<ulong>();
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed64)
                found.Add(input.ReadFixed64());
            else
                input.SkipLastField();
        }
        return found;
    }
}
