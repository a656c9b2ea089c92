using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PocketTts.Host.Serving;

/// <summary>
/// The one media type each endpoint accepts. Besides saying what is wrong, this keeps web pages out: a page on
/// any site may send <c>text/plain</c>, <c>application/x-www-form-urlencoded</c> or a body with no type to this
/// server without asking (CORS "simple" requests), while <c>application/json</c> needs a preflight that only
/// <c>--cors-origin</c> allows. Multipart uploads stay possible from pages, as the reference's own page needs them.
/// </summary>
internal static class RequestContentType
{
    /// <summary>Requires <c>application/json</c>, with no charset or UTF-8.</summary>
    /// <exception cref="ApiException">415 otherwise.</exception>
    public static void RequireJson(HttpRequest request)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type) &&
            type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
            (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
            return;
        throw Unsupported(request, "application/json");
    }

    /// <summary>Requires <c>multipart/form-data</c> with a boundary.</summary>
    /// <exception cref="ApiException">415 for another type; 400 for a multipart type without a boundary.</exception>
    public static void RequireMultipart(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type) ||
            !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw Unsupported(request, "multipart/form-data");
        if (HeaderUtilities.RemoveQuotes(type.Boundary).Length == 0)
            throw ApiException.BadRequest("The multipart/form-data Content-Type has no boundary parameter.", code: "invalid_multipart");
    }

    private static ApiException Unsupported(HttpRequest request, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType,
            $"Content-Type '{request.ContentType ?? "(none)"}' is not accepted by {request.Path}: send {accepted}.", code: "unsupported_media_type");
}
