using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace PocketTts.Host.Serving.Operations;

/// <summary>
/// The machine-readable description of the API at <c>GET /openapi/v1.json</c> (OpenAPI 3.1): every endpoint, the
/// request bodies and the OpenAI error shape. Endpoints describe themselves where they are mapped (summaries,
/// <see cref="ProducesOpenAiErrors"/>); this adds the document's title and what is not a route handler
/// (<c>/metrics</c>).
/// </summary>
internal static class ApiDocument
{
    /// <summary>Where the document is served.</summary>
    public const string Route = "/openapi/v1.json";

    /// <summary>Registers the document's generator.</summary>
    /// <param name="services">The server's services.</param>
    /// <param name="metrics">Whether <c>/metrics</c> is served (and so described).</param>
    public static IServiceCollection AddApiDocument(this IServiceCollection services, bool metrics) =>
        services.AddOpenApi(options => options.AddOperationTransformer(DescribeBodyAsync).AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Pocket TTS",
                Version = "v1",
                Description = "Text to speech: the reference server's routes (/, /health, /tts), OpenAI's speech API (/v1), and operations (/ready, /metrics). " +
                              "Every refusal is OpenAI error JSON: {\"error\": {\"message\", \"type\", \"param\", \"code\"}}.",
            };
            if (metrics)
            {
                var scrape = new OpenApiOperation
                {
                    Summary = "Metrics in Prometheus text format: requests by route, format and status, time to first audio, real-time factor, queue depth…",
                    OperationId = "Metrics",
                    Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Prometheus text exposition format." } },
                };
                document.Paths[ServerMetrics.Route] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = scrape } };
            }
            return Task.CompletedTask;
        }));

    /// <summary>Serves the document (also while the model loads: it does not need it).</summary>
    public static void MapApiDocument(this IEndpointRouteBuilder routes) => routes.MapOpenApi(Route).AvailableWhileNotReady();

    /// <summary>
    /// Documents the request body the handler reads itself (from the request, to answer its own errors). Not
    /// <c>Accepts</c>, whose routing would refuse other media types with an empty 415 before the handler.
    /// </summary>
    public static RouteHandlerBuilder DescribesBody<TBody>(this RouteHandlerBuilder builder, string contentType) =>
        builder.WithMetadata(new DocumentedBody(typeof(TBody), contentType));

    private static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().FirstOrDefault() is not { } body)
            return;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [body.ContentType] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, cancellationToken: cancellationToken) } },
        };
    }

    /// <summary>Documents that the endpoint refuses with OpenAI error JSON: with <paramref name="statuses"/>, and with 503 while the server loads or drains.</summary>
    public static RouteHandlerBuilder ProducesOpenAiErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (int status in statuses.Append(StatusCodes.Status503ServiceUnavailable).Distinct())
            builder.Produces<OpenAiError>(status, "application/json");
        return builder;
    }

    private sealed record DocumentedBody(Type Type, string ContentType);
}
