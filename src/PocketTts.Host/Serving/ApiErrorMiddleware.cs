using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PocketTts.Host.Serving;

/// <summary>
/// Turns refusals into OpenAI error JSON: <see cref="ApiException"/>s from handlers, bodies over Kestrel's size limit
/// (413), bare status codes from routing (404, 405), and unexpected failures (500, logged; the client is told
/// nothing of the exception). After the audio has
/// started, a failure can only end the response early: it is logged and the connection reset.
/// Every response carries an <c>X-Request-Id</c> header, and every refusal is logged with its status, its error
/// code and that id, so a user's report can be found in the log.
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    /// <summary>The response header that carries the id under which the request is logged.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        // Set when the response starts, so the header survives the Clear() of an error response.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
            if (context.Response is { HasStarted: false, StatusCode: 404 or 405 })
            {
                string message = context.Response.StatusCode == 404
                    ? $"No endpoint {context.Request.Method} {context.Request.Path}. Endpoints: GET /, GET /health, POST /tts, POST /v1/audio/speech, GET /v1/models, GET|POST /v1/audio/voices."
                    : $"{context.Request.Method} is not allowed on {context.Request.Path}.";
                await WriteAsync(context, new ApiException(context.Response.StatusCode, message));
            }
        }
        catch (Exception e) when (Translate(e) is { } error)
        {
            if (context.Response.HasStarted)
            {
                logger.LogWarning("{Method} {Path} failed after the response started (request {RequestId}): {Message}", context.Request.Method, context.Request.Path, context.TraceIdentifier, error.Message);
                context.Abort();
                return;
            }
            await WriteAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "{Method} {Path} failed (request {RequestId})", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            // The exception's text may name server paths or .NET types: it goes to the log, not to the client.
            await WriteAsync(context, new ApiException(StatusCodes.Status500InternalServerError,
                "The server failed to handle the request; the error was logged.", type: OpenAiError.ServerError));
        }
    }

    private async Task WriteAsync(HttpContext context, ApiException error)
    {
        OpenAiError body = OpenAiError.From(error);
        logger.Log(error.Status >= StatusCodes.Status500InternalServerError ? LogLevel.Error : LogLevel.Warning,
                   "{Method} {Path} → {Status} {Code} (request {RequestId}): {Message}",
                   context.Request.Method, context.Request.Path, error.Status, body.Error.Code ?? body.Error.Type, context.TraceIdentifier, error.Message);
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        if (error.RetryAfter is { } retry)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    private static ApiException? Translate(Exception e) => e switch
    {
        ApiException api => api,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
        BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.Message),
        PocketTtsException library => ApiException.From(library),
        _ => null,
    };

    private static ApiException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "The request body is larger than the server accepts (see --max-upload-mb).", code: "request_too_large");
}

/// <summary>Registers <see cref="ApiErrorMiddleware"/>.</summary>
internal static class ApiErrorMiddlewareExtensions
{
    public static IApplicationBuilder UseOpenAiErrors(this IApplicationBuilder app) => app.UseMiddleware<ApiErrorMiddleware>();
}
