using System.Diagnostics;
using PocketTts.Hub;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Voices;

namespace PocketTts.Tests.Unit.Hub;

/// <summary>
/// Voice URLs come from whoever sends a request: they are fetched within <see cref="VoiceDownloads.Policy"/>, against a
/// real loopback web server that misbehaves. Loopback is refused by default, so the other cases allow private addresses.
/// </summary>
public sealed class VoiceUrlDownloadTests : IAsyncLifetime, IDisposable
{
    private static readonly DownloadPolicy Loopback = VoiceDownloads.Policy(allowPrivateAddresses: true) with
    {
        ReadTimeout = TimeSpan.FromSeconds(1),
        TotalTimeout = TimeSpan.FromSeconds(3),
    };

    private readonly string _root = Directory.CreateTempSubdirectory("pocket-tts-voice-urls-").FullName;
    private HostileWebServer _web = null!;
    private HubClient _client = null!;

    private string Cache => Path.Join(_root, "pocket_tts");

    public async Task InitializeAsync()
    {
        _web = await HostileWebServer.StartAsync();
        _web.Files["ref.wav"] = await File.ReadAllBytesAsync(Path.Join(RepoPaths.Root, "ref.wav"));
        _web.Files["page.wav"] = "<html><body>not audio</body></html>"u8.ToArray();
        _client = new HubClient(new HubOptions { CacheDirectory = Path.Join(_root, "hf"), PocketTtsCacheDirectory = Cache });
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Every file under the cache, .incomplete and .lock files included.</summary>
    private string[] CacheFiles() => Directory.Exists(Cache) ? Directory.GetFiles(Cache, "*", SearchOption.AllDirectories) : [];

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]   // a name: refused after resolution
    public async Task A_loopback_url_is_refused_by_default_before_any_request(string host)
    {
        var url = new UriBuilder(_web.Url("files/ref.wav")) { Host = host }.Uri;

        HubException e = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(url.AbsoluteUri, VoiceDownloads.Policy()));

        e.Kind.ShouldBe(HubErrorKind.Refused);
        e.Message.ShouldContain("--allow-private-voice-urls");
        e.Message.Replace(url.AbsoluteUri, "URL", StringComparison.Ordinal).ShouldNotContain("127.0.0.1", Case.Sensitive, "the refusal names no resolved address");
        _web.Requests.ShouldBe(0);
        CacheFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task With_private_addresses_allowed_a_wav_file_is_cached()
    {
        string path = await _client.ResolveAsync(_web.Url("files/ref.wav").AbsoluteUri, Loopback);

        File.ReadAllBytes(path).ShouldBe(_web.Files["ref.wav"]);
        CacheFiles().ShouldBe([path]);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/voice.wav")]
    [InlineData("gopher://127.0.0.1:70/")]
    public async Task A_redirect_to_another_scheme_is_refused(string target)
    {
        Uri url = _web.Url("redirect?to=" + Uri.EscapeDataString(target));

        HubException e = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(url.AbsoluteUri, Loopback));

        e.Kind.ShouldBe(HubErrorKind.Refused);
        e.Message.ShouldContain("only http and https are followed");
        CacheFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("huge")]      // announces 2 GB: refused before reading
    [InlineData("endless")]   // announces nothing: cut off at the limit
    public async Task A_file_past_the_size_limit_is_refused_and_leaves_nothing(string route)
    {
        DownloadPolicy small = Loopback with { MaxBytes = 1024 * 1024 };

        HubException e = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(_web.Url(route).AbsoluteUri, small));

        e.Kind.ShouldBe(HubErrorKind.TooLarge);
        e.Message.ShouldContain("larger than the limit of 1 MiB");
        CacheFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Content_that_is_not_audio_is_never_cached()
    {
        string url = _web.Url("files/page.wav").AbsoluteUri;

        HubException e = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(url, Loopback));
        e.Kind.ShouldBe(HubErrorKind.InvalidContent);
        CacheFiles().ShouldBeEmpty();

        await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(url, Loopback));
        _web.Requests.ShouldBe(2);   // fetched again: nothing was cached
    }

    [Theory]
    [InlineData("trickle")]   // one byte every 200 ms: never idle, stopped by the total timeout
    [InlineData("silent")]    // no headers: stopped by the read timeout
    public async Task A_slow_server_cannot_hold_the_download(string route)
    {
        long start = Stopwatch.GetTimestamp();

        HubException e = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(_web.Url(route).AbsoluteUri, Loopback));

        e.Kind.ShouldBe(HubErrorKind.Network);
        Stopwatch.GetElapsedTime(start).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        CacheFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Network_failures_read_the_same_whatever_happened()
    {
        Uri refused = HostileWebServer.ClosedPortUrl();
        Uri silent = _web.Url("silent");

        HubException closed = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(refused.AbsoluteUri, Loopback));
        HubException timedOut = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(silent.AbsoluteUri, Loopback));

        closed.Message.Replace(refused.AbsoluteUri, "URL", StringComparison.Ordinal)
            .ShouldBe(timedOut.Message.Replace(silent.AbsoluteUri, "URL", StringComparison.Ordinal));
        closed.Message.ShouldNotContain("refused", Case.Insensitive);
        CacheFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_download_without_a_policy_still_refuses_a_redirect_to_a_file_url()
    {
        Uri url = _web.Url("redirect?to=" + Uri.EscapeDataString("file:///etc/passwd"));

        HubException e = await Should.ThrowAsync<HubException>(() => _client.ResolveAsync(url.AbsoluteUri));

        e.Kind.ShouldBe(HubErrorKind.Refused);
    }
}
