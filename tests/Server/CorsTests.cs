using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

public sealed class CorsTests
{
    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "v1/audio/speech");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    [Fact]
    public async Task Configured_origins_are_allowed_and_others_are_not()
    {
        await using TestServer server = await TestServer.StartAsync(o => o with { CorsOrigins = ["https://example.org"] });
        using HttpResponseMessage allowed = await server.Http.SendAsync(Preflight("https://example.org"));
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://example.org"]);
        using HttpResponseMessage other = await server.Http.SendAsync(Preflight("https://evil.example"));
        other.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Without_origins_no_cors_headers_are_sent()
    {
        await using TestServer server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        request.Headers.Add("Origin", "https://example.org");
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}
