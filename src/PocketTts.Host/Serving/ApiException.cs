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

    /// <summary>
    /// A library error as OpenAI's error: its kind chooses the status and code (invalid 400, not found 404, unsupported
    /// 400, over a limit 413), and its subject the request field it names.
    /// </summary>
    public static ApiException From(PocketTtsException e)
    {
        string? param = e.Subject is { } subject && Fields.TryGetValue(subject, out string? field) ? field : null;
        string message = param is null ? e.Message : e.MessageNaming(param);
        return e switch
        {
            NotFoundException => new(StatusCodes.Status404NotFound, message, param, "not_found"),
            UnsupportedException => new(StatusCodes.Status400BadRequest, message, param, param is null ? "unsupported" : $"unsupported_{param}"),
            LimitExceededException => new(StatusCodes.Status413PayloadTooLarge, message, param, "limit_exceeded"),
            _ => new(StatusCodes.Status400BadRequest, message, param, "invalid_value"),
        };
    }

    /// <summary>The library's subjects and the request fields that set them.</summary>
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["text"] = "input",
        ["voice"] = "voice",
        ["Temperature"] = "temperature",
        ["format"] = "response_format",
    };
}
