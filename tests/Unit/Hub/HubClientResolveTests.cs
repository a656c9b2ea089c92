using System.Security.Cryptography;
using System.Text;
using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

/// <summary>HubClient's single entry point for any reference: plain URLs, local paths, hf:// text.</summary>
public sealed class HubClientResolveTests : IAsyncLifetime
{
    private FakeHub _hub = null!;

    public async Task InitializeAsync() => _hub = await FakeHub.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private string WebUrl(string name) => new Uri(_hub.Endpoint, $"/web/{name}").AbsoluteUri;

    [Fact]
    public async Task A_url_is_cached_in_the_pocket_tts_cache_under_the_hash_of_its_text()
    {
        byte[] voice = FakeHub.RandomBytes(20_000, seed: 5);
        _hub.AddWeb("alba.wav", voice);
        string url = WebUrl("alba.wav");
        using var client = new HubClient(_hub.Options());

        string path = await client.ResolveAsync(url);

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));
        path.ShouldBe(Path.Join(_hub.PocketTtsCacheDirectory, hash + ".wav"));
        File.ReadAllBytes(path).ShouldBe(voice);
        Directory.GetFiles(_hub.PocketTtsCacheDirectory).ShouldBe([path]);
    }

    [Fact]
    public async Task A_cached_url_is_served_without_a_request_even_offline()
    {
        _hub.AddWeb("alba.wav", FakeHub.RandomBytes(1_000, seed: 6));
        using (var online = new HubClient(_hub.Options()))
            await online.ResolveAsync(WebUrl("alba.wav"));
        _hub.Requests.Clear();

        using var offline = new HubClient(_hub.Options(offline: true));
        string path = await offline.ResolveAsync(WebUrl("alba.wav"));

        File.Exists(path).ShouldBeTrue();
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_url_not_cached_in_offline_mode_fails_clearly()
    {
        using var client = new HubClient(_hub.Options(offline: true));

        HubException e = await Should.ThrowAsync<HubException>(() => client.ResolveAsync(WebUrl("alba.wav")));

        e.Kind.ShouldBe(HubErrorKind.Offline);
        e.Message.ShouldContain($"{WebUrl("alba.wav")} is not in the Pocket TTS cache");
        e.Message.ShouldContain("offline mode is on");
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_url_is_404_naming_it_and_leaves_nothing_in_the_cache()
    {
        using var client = new HubClient(_hub.Options());

        HubException e = await Should.ThrowAsync<HubException>(() => client.ResolveAsync(WebUrl("missing.wav")));

        e.Kind.ShouldBe(HubErrorKind.NotFound);
        e.Message.ShouldBe($"Not found: HTTP 404 from {WebUrl("missing.wav")}.");
        Directory.EnumerateFiles(_hub.PocketTtsCacheDirectory, "*.wav*").ShouldBeEmpty();
    }

    [Fact]
    public async Task The_token_is_not_sent_to_other_hosts()
    {
        _hub.AddWeb("alba.wav", FakeHub.RandomBytes(1_000, seed: 7));
        using var client = new HubClient(_hub.Options(token: "hf_secret"));

        await client.ResolveAsync(new Uri(_hub.Cdn, "/web/alba.wav").AbsoluteUri);

        _hub.Gets().Single().Authorization.ShouldBeNull();
    }

    [Fact]
    public async Task An_hf_reference_in_text_is_downloaded_into_the_hub_cache()
    {
        _hub.Add(new HostedFile("kyutai/tts-voices", "alba-mackenna/casual.wav", FakeHub.RandomBytes(3_000, seed: 8), Lfs: true));
        using var client = new HubClient(_hub.Options());

        string path = await client.ResolveAsync("hf://kyutai/tts-voices/alba-mackenna/casual.wav");

        path.ShouldBe(Path.Join(_hub.CacheDirectory, "models--kyutai--tts-voices", "snapshots", FakeHub.Commit, "alba-mackenna", "casual.wav"));
    }

    [Fact]
    public async Task An_existing_local_path_is_returned_as_is_without_a_request()
    {
        Directory.CreateDirectory(_hub.Root);
        string file = Path.Join(_hub.Root, "model.safetensors");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);
        using var client = new HubClient(_hub.Options());

        (await client.ResolveAsync("model.safetensors", baseDirectory: _hub.Root)).ShouldBe(file);
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_local_path_is_a_file_not_found_error_naming_it()
    {
        string missing = Path.Join(_hub.Root, "nowhere.safetensors");
        using var client = new HubClient(_hub.Options());

        FileNotFoundException e = await Should.ThrowAsync<FileNotFoundException>(() => client.ResolveAsync(missing));

        e.FileName.ShouldBe(missing);
        e.Message.ShouldBe($"File not found: {missing}");
    }

    [Theory]
    [InlineData("https://example.com/voices/alba.wav", ".wav")]
    [InlineData("https://example.com/voices/alba", "")]
    [InlineData("https://example.com/voices/alba.mp3?download=1", ".mp3")]
    public void Cache_names_keep_the_reference_extension_when_it_is_a_plain_word(string url, string suffix)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));

        HubClient.UrlCacheName(url).ShouldBe(hash + suffix);
    }
}
