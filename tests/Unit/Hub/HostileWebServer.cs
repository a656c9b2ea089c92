using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PocketTts.Tests.Unit.Hub;

/// <summary>
/// A web server on loopback that hosts voice files the way a broken or hostile host would: <c>/files/NAME</c>
/// serves what <see cref="Files"/> holds; <c>/huge</c> announces 2 GB; <c>/endless</c> streams zeros without a
/// length; <c>/trickle</c> sends one byte every 200 ms; <c>/silent</c> never answers; <c>/redirect?to=URL</c>
/// redirects anywhere. Every request is counted.
/// </summary>
public sealed class HostileWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private HostileWebServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Address { get; }

    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    public Uri Url(string pathAndQuery) => new(Address, pathAndQuery);

    public static async Task<HostileWebServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        HostileWebServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new HostileWebServer(app, new Uri(address + "/"));
        return server;
    }

    /// <summary>A loopback URL on a port nobody listens on: the connection is refused.</summary>
    public static Uri ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/voice.wav");
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        string path = context.Request.Path.Value ?? "";
        try
        {
            switch (path)
            {
                case "/huge":
                    response.ContentLength = 2L << 30;
                    await StreamZerosAsync(response, aborted);
                    break;
                case "/endless":
                    await StreamZerosAsync(response, aborted);
                    break;
                case "/trickle":
                    while (true)
                    {
                        await response.Body.WriteAsync(new byte[] { 0 }, aborted);
                        await response.Body.FlushAsync(aborted);
                        await Task.Delay(200, aborted);
                    }
                case "/silent":
                    await Task.Delay(Timeout.Infinite, aborted);
                    break;
                case "/redirect":
                    response.StatusCode = StatusCodes.Status302Found;
                    response.Headers.Location = context.Request.Query["to"].ToString();
                    break;
                default:
                    if (path.StartsWith("/files/", StringComparison.Ordinal) && Files.TryGetValue(path["/files/".Length..], out byte[]? bytes))
                        await response.Body.WriteAsync(bytes, aborted);
                    else
                        response.StatusCode = StatusCodes.Status404NotFound;
                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // the client gave up, as it should
        }
    }

    private static async Task StreamZerosAsync(HttpResponse response, CancellationToken aborted)
    {
        byte[] chunk = new byte[64 * 1024];
        while (true)
            await response.Body.WriteAsync(chunk, aborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
