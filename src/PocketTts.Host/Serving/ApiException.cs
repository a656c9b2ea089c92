using Microsoft.AspNetCore.Http;

namespace PocketTts.Host.Serving;

/// <summary>
/// A request the server refuses, with the HTTP status and the fields of OpenAI's error object. Thrown by handlers
/// and turned into <see cref="OpenAiError"/> JSON by <see cref="ApiErrorMiddleware"/>.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException()
    {
    }

    public ApiException(string message) : base(message)
    {
    }

    public ApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ApiException(int status, string message, string? param = null, string? code = null, string type = OpenAiError.InvalidRequest, TimeSpan? retryAfter = null)
        : base(message)
    {
        Status = status;
        Param = param;
        Code = code;
        Type = type;
        RetryAfter = retryAfter;
    }

    public int Status { get; } = StatusCodes.Status400BadRequest;

    public string? Param { get; }

    public string? Code { get; }

    public string Type { get; } = OpenAiError.InvalidRequest;

    /// <summary>Sent as the <c>Retry-After</c> header (whole seconds) with 429 and 503.</summary>
    public TimeSpan? RetryAfter { get; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null) => new(StatusCodes.Status400BadRequest, message, param, code);
}
