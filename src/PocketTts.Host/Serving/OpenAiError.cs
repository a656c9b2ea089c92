using System.Text.Json.Serialization;

namespace PocketTts.Host.Serving;

/// <summary>
/// OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>, which its clients parse into their
/// exceptions. Every endpoint answers failures in this shape.
/// </summary>
internal sealed record OpenAiError([property: JsonPropertyName("error")] OpenAiError.Body Error)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";
    public const string RateLimit = "rate_limit_exceeded";

    public sealed record Body(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("param")] string? Param,
        [property: JsonPropertyName("code")] string? Code);

    public static OpenAiError From(ApiException e) => new(new Body(e.Message, e.Type, e.Param, e.Code));
}
