using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace PocketTts.Host.Serving;

/// <summary>
/// Checks every request before it reaches a route: its <c>Host</c> header names this server (a web page whose name
/// an attacker rebinds to 127.0.0.1 sends its own name, so refusing unknown names defends against DNS rebinding),
/// and its target and headers are within the usual limits. Kestrel is given four times those limits, so that a
/// request just past them gets its 414 or 431 here, as OpenAI error JSON, rather than Kestrel's empty reply.
/// </summary>
internal static class RequestGuard
{
    /// <summary>The longest request target (path and query), Kestrel's default request line limit.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>The largest header block, Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>The most header fields, Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>How far past the limits Kestrel itself reads before it answers on its own.</summary>
    public const int KestrelSlack = 4;

    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app, ServerOptions options)
    {
        HashSet<string>? names = AllowedHostNames(options);
        return app.Use(next => context =>
        {
            Check(context, names);
            return next(context);
        });
    }

    /// <summary>The names the Host header may carry (brackets and trailing dots removed), or null for any.</summary>
    public static HashSet<string>? AllowedHostNames(ServerOptions options)
    {
        if (options.BindsEveryInterface || options.AllowedHosts.Contains("*"))
            return null;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Normalize(options.Host) };
        if (string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(options.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address)))
            names.UnionWith(["localhost", "127.0.0.1", "::1"]);
        names.UnionWith(options.AllowedHosts.Select(Normalize));
        return names;
    }

    private static void Check(HttpContext context, HashSet<string>? names)
    {
        HttpRequest request = context.Request;
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        if (target.Length > MaxTargetBytes)
        {
            throw new ApiException(StatusCodes.Status414UriTooLong,
                $"The request target has {target.Length} characters; the limit is {MaxTargetBytes}.", code: "uri_too_long");
        }
        int headerBytes = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => (v?.Length ?? 0) + 4));
        if (request.Headers.Count > MaxHeaderCount || headerBytes > MaxHeaderBytes)
        {
            throw new ApiException(StatusCodes.Status431RequestHeaderFieldsTooLarge,
                $"The request has {request.Headers.Count} header fields of {headerBytes} bytes; the limits are {MaxHeaderCount} fields and {MaxHeaderBytes} bytes.",
                code: "headers_too_large");
        }
        if (names is not null && !names.Contains(Normalize(request.Host.Host)))
        {
            string shown = request.Host.HasValue ? request.Host.Host : "(none)";
            throw ApiException.BadRequest(
                $"The Host header '{shown}' does not name this server ({string.Join(", ", names.Order(StringComparer.Ordinal))}). " +
                $"If clients reach it under that name, start it with --allowed-hosts {shown}.", code: "invalid_host");
        }
    }

    private static string Normalize(string host) => host.Trim('[', ']').TrimEnd('.');
}
