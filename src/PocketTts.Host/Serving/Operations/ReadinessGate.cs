using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// Refuses requests while the server is not <see cref="ReadinessState.Ready"/>, with OpenAI error JSON: 503
/// <c>model_loading</c> while the model loads, 503 <c>server_draining</c> once shutdown started (a load balancer then
/// retries on another replica). Endpoints marked <see cref="AlwaysAvailable"/> pass.
/// </summary>
internal sealed class ReadinessGate(RequestDelegate next, ServerReadiness readiness)
{
    // A guess at how long a model takes to load; a draining server will not come back, so a retry goes elsewhere.
    private static readonly TimeSpan LoadingRetryAfter = TimeSpan.FromSeconds(5);

    public Task InvokeAsync(HttpContext context)
    {
        ReadinessState state = readiness.State;
        if (state == ReadinessState.Ready || context.GetEndpoint()?.Metadata.GetMetadata<AlwaysAvailable>() is not null)
            return next(context);
        throw state == ReadinessState.Loading
            ? new ApiException(StatusCodes.Status503ServiceUnavailable, "The server is still loading the model and the default voice; retry shortly (GET /ready answers 200 once it is done).",
                               code: "model_loading", type: OpenAiError.ServerError, retryAfter: LoadingRetryAfter)
            : new ApiException(StatusCodes.Status503ServiceUnavailable, "The server is shutting down and takes no new requests; retry on another replica.",
                               code: "server_draining", type: OpenAiError.ServerError, retryAfter: TimeSpan.FromSeconds(1));
    }
}

/// <summary>Registers <see cref="ReadinessGate"/>.</summary>
internal static class ReadinessGateExtensions
{
    public static IApplicationBuilder UseReadinessGate(this IApplicationBuilder app) => app.UseMiddleware<ReadinessGate>();
}
