using System.Net;
using System.Text;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>
/// What stops a web page on another site from driving the server: only the endpoints' own media types are accepted
/// (the CORS-simple ones a page may send without asking are refused), and a Host header must name the server
/// (DNS rebinding).
/// </summary>
public sealed class BrowserReachTests : IAsyncLifetime
{
    private const string SpeechJson = """{"model":"tts-1","input":"Hi.","voice":"tiny","response_format":"pcm"}""";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static ByteArrayContent Body(string text, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (contentType is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task The_speech_endpoint_accepts_json_only(string? contentType)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync("v1/audio/speech", Body(SpeechJson, contentType));

        (await response.ShouldBeOpenAiErrorAsync(415, "send application/json")).GetProperty("code").GetString().ShouldBe("unsupported_media_type");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task Json_with_or_without_its_charset_is_accepted(string contentType)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync("v1/audio/speech", Body(SpeechJson, contentType));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("tts", "application/x-www-form-urlencoded", "text=Hi.")]
    [InlineData("tts", "text/plain", "text=Hi.")]
    [InlineData("tts", "application/json", """{"text":"Hi."}""")]
    [InlineData("tts", null, "text=Hi.")]
    [InlineData("v1/audio/voices", "application/x-www-form-urlencoded", "name=x")]
    public async Task Upload_endpoints_accept_multipart_only(string path, string? contentType, string body)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync(path, Body(body, contentType));

        await response.ShouldBeOpenAiErrorAsync(415, "send multipart/form-data");
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8000")]
    [InlineData("127.0.0.1.evil.example")]
    public async Task A_host_header_that_does_not_name_the_server_is_refused(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        request.Headers.Host = host;

        using HttpResponseMessage response = await _server.Http.SendAsync(request);

        (await response.ShouldBeOpenAiErrorAsync(400, "--allowed-hosts")).GetProperty("code").GetString().ShouldBe("invalid_host");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:8000")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:1234")]
    public async Task The_loopback_names_are_accepted_with_any_port(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        request.Headers.Host = host;

        using HttpResponseMessage response = await _server.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Allowed_hosts_add_names_and_every_interface_accepts_any()
    {
        await using TestServer named = await TestServer.StartAsync(o => o with { AllowedHosts = ["tts.example"] });
        await using TestServer open = await TestServer.StartAsync(o => o with { Host = "0.0.0.0" });

        foreach ((TestServer server, string host) in new[] { (named, "tts.example:80"), (open, "anything.example") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "health");
            request.Headers.Host = host;
            using HttpResponseMessage response = await server.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }
}
