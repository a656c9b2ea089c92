using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

/// <summary>How the fake CDN misbehaves when serving a blob.</summary>
internal enum CdnFault
{
    None,
    CloseHalfwayOnce,   // the first GET sends half the bytes, then drops the connection
    StallHalfway,       // every GET sends half the bytes, then waits until the client gives up
    IgnoreRange,        // answers a Range request with 200 and the whole file
}

/// <summary>A file the fake Hub serves.</summary>
internal sealed record HostedFile(string Repo, string Path, byte[] Content, bool Lfs)
{
    /// <summary>What the Hub names the blob: sha256 for LFS, the git blob sha1 otherwise.</summary>
    public string Etag => Lfs ? FakeHub.Sha256(Content) : FakeHub.GitSha1(Content);

    /// <summary>The bytes actually sent, when they differ from <see cref="Content"/> (a corrupt CDN).</summary>
    public byte[]? Served { get; init; }

    /// <summary>Whether the LFS redirect points at the second listener (another host) or the same one.</summary>
    public bool CdnOnOtherHost { get; init; } = true;

    public CdnFault Fault { get; init; }
}

/// <summary>One request the fake server received.</summary>
internal sealed record RecordedRequest(string Method, string Authority, string Path, string? Authorization, string? Range);

/// <summary>
/// A Hugging Face Hub on loopback, speaking the protocol huggingface_hub relies on: <c>/org/name/resolve/rev/path</c>
/// answers HEAD and GET with <c>X-Repo-Commit</c>, an ETag (git sha1), or for LFS files a 302 to a CDN with
/// <c>X-Linked-Etag</c> (sha256) and <c>X-Linked-Size</c>; gated repositories answer 401/403 without the right
/// token. A second listener on another port plays the CDN's host. <c>/web/name</c> serves plain files.
/// Every test gets its own server and its own cache folders.
/// </summary>
internal sealed class FakeHub : IAsyncDisposable
{
    public const string Commit = "39592ff23c9ef80098bb74895d104c26275fe2c9";
    public const string GoodToken = "hf_good_token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, HostedFile> _files = new();
    private readonly ConcurrentDictionary<string, byte[]> _web = new();
    private readonly ConcurrentDictionary<string, bool> _gated = new();
    private readonly ConcurrentDictionary<string, int> _cdnGets = new();

    private FakeHub(WebApplication app, Uri endpoint, Uri cdn, string root)
    {
        _app = app;
        Endpoint = endpoint;
        Cdn = cdn;
        Root = root;
    }

    /// <summary>The Hub's address (http://127.0.0.1:port).</summary>
    public Uri Endpoint { get; }

    /// <summary>The "CDN": the same server on another port, hence another host for the token rule.</summary>
    public Uri Cdn { get; }

    /// <summary>A temporary folder holding this test's caches.</summary>
    public string Root { get; }

    public string CacheDirectory => Path.Join(Root, "hf", "hub");

    public string PocketTtsCacheDirectory => Path.Join(Root, "pocket_tts");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Completed when a StallHalfway transfer has sent its half.</summary>
    public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeHub> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        WebApplication app = builder.Build();
        FakeHub? hub = null;
        app.Run(context => hub!.HandleAsync(context));   // the handler needs the addresses, known only once started
        await app.StartAsync();
        string[] addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Order(StringComparer.Ordinal).ToArray();
        string root = Path.Join(Path.GetTempPath(), "pocket-tts-hub-tests", Guid.NewGuid().ToString("N"));
        hub = new FakeHub(app, new Uri(addresses[0]), new Uri(addresses[1]), root);
        return hub;
    }

    public HubOptions Options(string? token = null, bool offline = false) => new()
    {
        Endpoint = Endpoint,
        CacheDirectory = CacheDirectory,
        PocketTtsCacheDirectory = PocketTtsCacheDirectory,
        Token = token,
        Offline = offline,
    };

    public HostedFile Add(HostedFile file)
    {
        _files[$"{file.Repo}/{file.Path}"] = file;
        return file;
    }

    public void Gate(string repo) => _gated[repo] = true;

    public void AddWeb(string name, byte[] content) => _web[name] = content;

    public RecordedRequest[] Gets() => Requests.Where(r => r.Method == "GET").ToArray();

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>git hash-object: sha1 of "blob {size}\0" followed by the content.</summary>
#pragma warning disable CA5350 // git names its objects by SHA-1; this is an identifier, not security
    public static string GitSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = Uri.UnescapeDataString(request.Path.Value ?? "");
        Requests.Enqueue(new RecordedRequest(request.Method, request.Host.Value ?? "", path,
                                             request.Headers.Authorization.FirstOrDefault(), request.Headers.Range.FirstOrDefault()));
        string[] parts = path.TrimStart('/').Split('/');
        if (parts is ["cdn", var etag])
            await ServeBlobAsync(context, etag);
        else if (parts is ["web", var name])
            await ServeWebAsync(context, name);
        else if (parts.Length >= 5 && parts[2] == "resolve")
            await ResolveAsync(context, $"{parts[0]}/{parts[1]}", parts[3], string.Join('/', parts[4..]));
        else
            context.Response.StatusCode = 400;
    }

    private async Task ResolveAsync(HttpContext context, string repo, string revision, string filePath)
    {
        HttpResponse response = context.Response;
        if (_gated.ContainsKey(repo))
        {
            string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
            if (authorization != $"Bearer {GoodToken}")
            {
                response.StatusCode = authorization is null ? 401 : 403;
                response.Headers["X-Error-Code"] = "GatedRepo";
                response.Headers["X-Error-Message"] = $"Access to model {repo} is restricted.";
                return;
            }
        }
        if (revision is not ("main" or Commit))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "RevisionNotFound";
            return;
        }
        response.Headers["X-Repo-Commit"] = Commit;
        if (!_files.TryGetValue($"{repo}/{filePath}", out HostedFile? file))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "EntryNotFound";
            return;
        }
        if (file.Lfs)
        {
            Uri cdn = file.CdnOnOtherHost ? Cdn : Endpoint;
            response.StatusCode = 302;
            response.Headers.Location = new Uri(cdn, $"/cdn/{file.Etag}").AbsoluteUri;
            response.Headers["X-Linked-Etag"] = $"\"{file.Etag}\"";
            response.Headers["X-Linked-Size"] = file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers.ETag = "\"0000000000000000000000000000000000000000\"";   // the LFS pointer's own sha1
            return;
        }
        response.Headers.ETag = $"W/\"{file.Etag}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            response.ContentLength = file.Content.Length;
            return;
        }
        await SendAsync(context, file.Content, CdnFault.None);
    }

    private async Task ServeBlobAsync(HttpContext context, string etag)
    {
        HostedFile? file = _files.Values.FirstOrDefault(f => f.Lfs && f.Etag == etag);
        if (file is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        int count = _cdnGets.AddOrUpdate(etag, 1, (_, n) => n + 1);
        CdnFault fault = file.Fault == CdnFault.CloseHalfwayOnce && count > 1 ? CdnFault.None : file.Fault;
        await SendAsync(context, file.Served ?? file.Content, fault);
    }

    private async Task ServeWebAsync(HttpContext context, string name)
    {
        if (_web.TryGetValue(name, out byte[]? content))
            await SendAsync(context, content, CdnFault.None);
        else
            context.Response.StatusCode = 404;
    }

    /// <summary>Sends the bytes, honouring "Range: bytes=N-" with 206 unless the fault says otherwise.</summary>
    private async Task SendAsync(HttpContext context, byte[] content, CdnFault fault)
    {
        HttpResponse response = context.Response;
        int start = 0;
        string? range = context.Request.Headers.Range.FirstOrDefault();
        if (range is not null && fault != CdnFault.IgnoreRange)
        {
            start = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                return;
            }
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }
        int length = content.Length - start;
        response.ContentLength = length;
        if (fault is CdnFault.CloseHalfwayOnce or CdnFault.StallHalfway)
        {
            await response.Body.WriteAsync(content.AsMemory(start, length / 2));
            await response.Body.FlushAsync();
            if (fault == CdnFault.CloseHalfwayOnce)
            {
                context.Abort();
                return;
            }
            HalfSent.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        await response.Body.WriteAsync(content.AsMemory(start, length));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
