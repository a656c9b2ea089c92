using PocketTts.Host.Serving;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary>Issue 23: every refused request leaves a line in the server log with its status, error code and the request id the client got.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task A_refused_request_is_logged_with_its_status_code_and_the_request_id_it_returned()
    {
        var log = new LockedWriter();
        await using TestServer server = await TestServer.StartAsync(ffmpeg: null, log: log);

        using HttpResponseMessage missing = await server.Http.GetAsync("nope");
        using HttpResponseMessage unsupported = await server.Http.PostAsync("v1/audio/speech", HttpHelpers.Speech("x", "mp3"));
        using HttpResponseMessage healthy = await server.Http.GetAsync("health");

        string missingId = missing.Headers.GetValues(ApiErrorMiddleware.RequestIdHeader).Single();
        string unsupportedId = unsupported.Headers.GetValues(ApiErrorMiddleware.RequestIdHeader).Single();
        healthy.Headers.GetValues(ApiErrorMiddleware.RequestIdHeader).Single().ShouldNotBe(missingId);
        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain($"warning: GET /nope → 404 invalid_request_error (request {missingId}): No endpoint GET /nope. " +
                            "Endpoints: GET /, GET /health, POST /tts, POST /v1/audio/speech, GET /v1/models, GET|POST /v1/audio/voices.");
        lines.Where(l => l.StartsWith("warning: POST /v1/audio/speech → 400", StringComparison.Ordinal)).ShouldBe([
            $"warning: POST /v1/audio/speech → 400 unsupported_response_format (request {unsupportedId}): response_format 'mp3': needs ffmpeg, which was not found " +
            "(install it, put it on PATH or give its path with --ffmpeg). Formats that work now: opus, wav, pcm.",
        ]);
        lines.Count(l => l.Contains(" → ", StringComparison.Ordinal)).ShouldBe(2, "the successful GET /health is not a refusal");
    }
}
