using System.Text;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>
/// Malformed requests are the client's mistake: a 4xx in OpenAI's error shape, never a 500, an empty body, a
/// server path or a .NET type name.
/// </summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static ByteArrayContent Multipart(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\r\n")));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static async Task ShouldBeCleanAsync(HttpResponseMessage response, int status, string message)
    {
        string text = (await response.ShouldBeOpenAiErrorAsync(status, message)).GetProperty("message").GetString()!;
        text.ShouldNotContain("Exception");
        text.ShouldNotContain("System.");
        text.ShouldNotContain(Path.GetTempPath());
    }

    [Theory]
    [InlineData("tts")]
    [InlineData("v1/audio/voices")]
    public async Task Multipart_without_a_boundary_is_400(string path)
    {
        using HttpResponseMessage response = await _server.Http.PostAsync(path, Multipart("x", "multipart/form-data"));

        await ShouldBeCleanAsync(response, 400, "no boundary");
    }

    [Fact]
    public async Task Truncated_multipart_is_400()
    {
        const string body = """
            --abc
            Content-Disposition: form-data; name="text"

            Hel
            """;
        using HttpResponseMessage response = await _server.Http.PostAsync("tts", Multipart(body, "multipart/form-data; boundary=abc"));

        await ShouldBeCleanAsync(response, 400, "ended before its closing boundary");
    }

    [Fact]
    public async Task Multipart_with_another_boundary_than_announced_is_400()
    {
        const string body = """
            --xyz
            Content-Disposition: form-data; name="text"

            Hello.
            --xyz--

            """;
        using HttpResponseMessage response = await _server.Http.PostAsync("tts", Multipart(body, "multipart/form-data; boundary=abc"));

        await ShouldBeCleanAsync(response, 400, "multipart/form-data");
    }

    [Fact]
    public async Task More_than_1024_fields_is_400()
    {
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < 1100; i++)
            form.Add(new StringContent("x"), $"f{i}");

        using HttpResponseMessage response = await _server.Http.PostAsync("tts", form);

        await ShouldBeCleanAsync(response, 400, "1024");
    }

    [Fact]
    public async Task A_request_target_past_the_limit_is_414_json()
    {
        using HttpResponseMessage response = await _server.Http.GetAsync("v1/models/" + new string('a', 10_000));

        await ShouldBeCleanAsync(response, 414, "the limit is 8192");
    }

    [Fact]
    public async Task Headers_past_the_limit_are_431_json()
    {
        using var big = new HttpRequestMessage(HttpMethod.Get, "health");
        big.Headers.Add("X-Padding", new string('a', 40_000));
        using HttpResponseMessage tooLarge = await _server.Http.SendAsync(big);
        await ShouldBeCleanAsync(tooLarge, 431, "header fields");

        using var many = new HttpRequestMessage(HttpMethod.Get, "health");
        for (int i = 0; i < 150; i++)
            many.Headers.Add($"X-Field-{i}", "x");
        using HttpResponseMessage tooMany = await _server.Http.SendAsync(many);
        await ShouldBeCleanAsync(tooMany, 431, "header fields");
    }

    [Theory]
    [InlineData("GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\n\r\n", 400)]                       // no Host header
    [InlineData("GE(T /health HTTP/1.1\r\nHost: localhost\r\n\r\n", 400)]     // not a method token
    [InlineData("GET /health HTTP/9.9\r\nHost: localhost\r\n\r\n", 505)]
    [InlineData("GET /LONG HTTP/1.1\r\nHost: localhost\r\n\r\n", 414)]     // past even Kestrel's own limit
    public async Task Requests_kestrel_rejects_itself_get_json_too(string request, int status)
    {
        string raw = request.Replace("/LONG", "/" + new string('a', 40_000), StringComparison.Ordinal);
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        await using System.Net.Sockets.NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(raw));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        string reply = await reader.ReadToEndAsync();   // Kestrel closes the connection after a rejection

        reply.ShouldStartWith($"HTTP/1.1 {status} ");
        reply.ShouldContain("Content-Type: application/json");
        string body = reply[(reply.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString().ShouldBe("invalid_http_request");
    }
}
