using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Host.Serving.Operations;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary><c>GET /openapi/v1.json</c>: every route the server maps, the request bodies and the error shape.</summary>
public sealed class ApiDocumentTests
{
    [Fact]
    public async Task Every_mapped_route_is_in_the_document()
    {
        await using TestServer server = await TestServer.StartAsync();
        using JsonDocument document = JsonDocument.Parse(await server.Http.GetStringAsync("openapi/v1.json"));
        JsonElement paths = document.RootElement.GetProperty("paths");

        // Every route but the document itself; /metrics answers any method, and its GET (what scrapers use) is described.
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText != ApiDocument.Route)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (Path: endpoint.RoutePattern.RawText!, Method: method)))
            .ToList();
        routes.Count.ShouldBeGreaterThanOrEqualTo(10); // the probes, the page, /tts, speech, models, voices and /metrics
        foreach ((string path, string method) in routes)
        {
            paths.TryGetProperty(path, out JsonElement item).ShouldBeTrue($"{path} is not in the document");
            item.TryGetProperty(method.ToLowerInvariant(), out _).ShouldBeTrue($"{method} {path} is not in the document");
        }
    }

    [Fact]
    public async Task The_document_describes_request_bodies_and_the_OpenAI_error_shape()
    {
        await using TestServer server = await TestServer.StartAsync();
        using JsonDocument document = JsonDocument.Parse(await server.Http.GetStringAsync("openapi/v1.json"));
        JsonElement root = document.RootElement;
        root.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        JsonElement paths = root.GetProperty("paths");

        JsonElement speech = paths.GetProperty("/v1/audio/speech").GetProperty("post");
        ((string[])["model", "input", "voice", "response_format", "speed", "stream_format", "seed"]).ShouldBeSubsetOf(
            Properties(root, speech.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        ((string[])["audio/mpeg", "audio/wav", "audio/pcm", "audio/ogg", "text/event-stream"]).ShouldBeSubsetOf(
            speech.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(type => type.Name));

        JsonElement tts = paths.GetProperty("/tts").GetProperty("post");
        ((string[])["text", "voice_url", "voice_wav", "seed"]).ShouldBeSubsetOf(
            Properties(root, tts.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema")));
        Properties(root, paths.GetProperty("/v1/audio/voices").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema"))
            .ShouldBe(["name", "file"], ignoreOrder: true);

        foreach (string status in (string[])["400", "429", "503"])
        {
            JsonElement error = Resolve(root, speech.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            Properties(root, error.GetProperty("properties").GetProperty("error")).ShouldBe(["message", "type", "param", "code"], ignoreOrder: true);
        }
        paths.GetProperty("/ready").GetProperty("get").GetProperty("responses").TryGetProperty("503", out _).ShouldBeTrue();
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out JsonElement reference))
            return schema;
        JsonElement target = root;
        foreach (string part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            target = target.GetProperty(part);
        return target;
    }

    private static List<string> Properties(JsonElement root, JsonElement schema) =>
        [.. Resolve(root, schema).GetProperty("properties").EnumerateObject().Select(property => property.Name)];
}
