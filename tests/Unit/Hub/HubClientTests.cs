using System.Net;
using System.Net.Sockets;
using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

public sealed class HubClientTests : IAsyncLifetime
{
    private const string Repo = "kyutai/pocket-tts";
    private const string WeightsPath = "languages/english/model.safetensors";
    private FakeHub _hub = null!;

    public async Task InitializeAsync() => _hub = await FakeHub.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private string Storage => Path.Join(_hub.CacheDirectory, "models--kyutai--pocket-tts");

    private HostedFile AddWeights(int length = 300_000, CdnFault fault = CdnFault.None) =>
        _hub.Add(new HostedFile(Repo, WeightsPath, FakeHub.RandomBytes(length, seed: 1), Lfs: true) { Fault = fault });

    private static HfPath Weights(string revision = "main") => new(Repo, WeightsPath, revision);

    private string[] FilesInStorage() =>
        Directory.EnumerateFileSystemEntries(Storage, "*", SearchOption.AllDirectories)
            .Where(p => !Directory.Exists(p)).Select(p => Path.GetRelativePath(Storage, p)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Lfs_file_is_cached_in_the_huggingface_hub_layout()
    {
        HostedFile file = AddWeights();
        using var client = new HubClient(_hub.Options());

        string path = await client.DownloadAsync(Weights());

        path.ShouldBe(Path.Join(Storage, "snapshots", FakeHub.Commit, "languages", "english", "model.safetensors"));
        File.ReadAllBytes(path).ShouldBe(file.Content);
        new FileInfo(path).LinkTarget.ShouldBe(Path.Join("..", "..", "..", "..", "blobs", FakeHub.Sha256(file.Content)));
        File.ReadAllText(Path.Join(Storage, "refs", "main")).ShouldBe(FakeHub.Commit);
        FilesInStorage().ShouldBe([
            Path.Join("blobs", FakeHub.Sha256(file.Content)),
            Path.Join("refs", "main"),
            Path.Join("snapshots", FakeHub.Commit, "languages", "english", "model.safetensors"),
        ]);
    }

    [Fact]
    public async Task Git_file_is_named_by_its_git_sha1_and_a_commit_revision_writes_no_ref()
    {
        HostedFile file = _hub.Add(new HostedFile(Repo, "tokenizer.model", "sentencepiece"u8.ToArray(), Lfs: false));
        using var client = new HubClient(_hub.Options());

        string path = await client.DownloadAsync(new HfPath(Repo, "tokenizer.model", FakeHub.Commit));

        File.ReadAllBytes(path).ShouldBe(file.Content);
        new FileInfo(path).LinkTarget.ShouldBe(Path.Join("..", "..", "blobs", FakeHub.GitSha1(file.Content)));
        Directory.Exists(Path.Join(Storage, "refs")).ShouldBeFalse();
        _hub.Gets().Single().Path.ShouldBe($"/{Repo}/resolve/{FakeHub.Commit}/tokenizer.model");
    }

    [Theory]
    [InlineData(FakeHub.Commit)]
    [InlineData("main")]
    public async Task A_cached_file_is_served_without_any_request(string revision)
    {
        AddWeights();
        using var client = new HubClient(_hub.Options());
        string first = await client.DownloadAsync(Weights(revision));
        _hub.Requests.Clear();

        using var again = new HubClient(_hub.Options());
        string second = await again.DownloadAsync(Weights(revision));

        second.ShouldBe(first);
        _hub.Requests.ShouldBeEmpty();
        again.TryGetCachedPath(Weights(revision)).ShouldBe(first);
    }

    [Fact]
    public async Task Offline_mode_serves_the_cache_without_touching_the_network()
    {
        HostedFile file = AddWeights();
        using (var online = new HubClient(_hub.Options()))
            await online.DownloadAsync(Weights());
        _hub.Requests.Clear();

        using var offline = new HubClient(_hub.Options(offline: true));
        string path = await offline.DownloadAsync(Weights());

        File.ReadAllBytes(path).ShouldBe(file.Content);
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Offline_mode_fails_clearly_for_a_file_that_is_not_cached()
    {
        AddWeights();
        using var client = new HubClient(_hub.Options(offline: true));

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(Weights(FakeHub.Commit)));

        e.Kind.ShouldBe(HubErrorKind.Offline);
        e.Message.ShouldContain($"hf://{Repo}/{WeightsPath}@{FakeHub.Commit} is not in the Hugging Face cache");
        e.Message.ShouldContain("offline mode is on");
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_token_goes_to_the_hub_and_not_to_the_cdn_host()
    {
        AddWeights();
        using var client = new HubClient(_hub.Options(token: "hf_secret"));

        await client.DownloadAsync(Weights());

        RecordedRequest head = _hub.Requests.Single(r => r.Method == "HEAD");
        head.Authorization.ShouldBe("Bearer hf_secret");
        head.Authority.ShouldBe(_hub.Endpoint.Authority);
        RecordedRequest get = _hub.Gets().Single();
        get.Authority.ShouldBe(_hub.Cdn.Authority);
        get.Authority.ShouldNotBe(_hub.Endpoint.Authority);
        get.Authorization.ShouldBeNull();
    }

    [Fact]
    public async Task A_redirect_to_another_path_on_the_same_host_is_followed_with_the_token()
    {
        HostedFile file = _hub.Add(new HostedFile(Repo, WeightsPath, FakeHub.RandomBytes(50_000, seed: 2), Lfs: true) { CdnOnOtherHost = false });
        using var client = new HubClient(_hub.Options(token: "hf_secret"));

        string path = await client.DownloadAsync(Weights());

        File.ReadAllBytes(path).ShouldBe(file.Content);
        RecordedRequest get = _hub.Gets().Single();
        get.Path.ShouldBe($"/cdn/{file.Etag}");
        get.Authority.ShouldBe(_hub.Endpoint.Authority);
        get.Authorization.ShouldBe("Bearer hf_secret");
    }

    [Fact]
    public async Task A_gated_repository_without_a_token_says_how_to_get_access()
    {
        AddWeights();
        _hub.Gate(Repo);
        using var client = new HubClient(_hub.Options());

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(Weights()));

        e.Kind.ShouldBe(HubErrorKind.AccessDenied);
        e.StatusCode.ShouldBe(401);
        e.Message.ShouldContain("is gated");
        e.Message.ShouldContain($"Accept its terms on {_hub.Endpoint.AbsoluteUri}{Repo}");
        e.Message.ShouldContain("set HF_TOKEN");
        e.Message.ShouldContain("huggingface-cli login");
        e.Message.ShouldContain("No token was sent.");
        Directory.Exists(Path.Join(Storage, "snapshots")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_gated_repository_refusing_the_token_is_403_and_says_a_token_was_sent()
    {
        AddWeights();
        _hub.Gate(Repo);
        using var client = new HubClient(_hub.Options(token: "hf_not_accepted"));

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(Weights()));

        e.Kind.ShouldBe(HubErrorKind.AccessDenied);
        e.StatusCode.ShouldBe(403);
        e.Message.ShouldContain("is gated");
        e.Message.ShouldContain("A token was sent, but its account has not been granted access");
    }

    [Fact]
    public async Task A_missing_file_is_404_naming_the_url()
    {
        using var client = new HubClient(_hub.Options());

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(new HfPath(Repo, "missing.bin")));

        e.Kind.ShouldBe(HubErrorKind.NotFound);
        e.StatusCode.ShouldBe(404);
        e.Message.ShouldContain($"The file missing.bin does not exist in {Repo} at revision main");
        e.Message.ShouldContain($"{_hub.Endpoint.AbsoluteUri}{Repo}/resolve/main/missing.bin");
    }

    [Fact]
    public async Task A_missing_revision_is_404_naming_the_revision()
    {
        AddWeights();
        using var client = new HubClient(_hub.Options());

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(Weights("v9")));

        e.Kind.ShouldBe(HubErrorKind.NotFound);
        e.Message.ShouldContain($"The revision v9 does not exist in {Repo}");
    }

    [Fact]
    public async Task An_unreachable_server_names_the_url_and_the_cause()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new HubClient(_hub.Options() with { Endpoint = new Uri($"http://127.0.0.1:{closedPort}") });

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(Weights()));

        e.Kind.ShouldBe(HubErrorKind.Network);
        e.StatusCode.ShouldBeNull();
        e.Message.ShouldStartWith($"Could not download http://127.0.0.1:{closedPort}/{Repo}/resolve/main/{WeightsPath}: ");
        e.Message.ShouldContain("refused", Case.Insensitive);
        e.InnerException.ShouldBeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task An_interrupted_transfer_is_resumed_with_a_range_request()
    {
        HostedFile file = AddWeights(length: 1_000_000, CdnFault.CloseHalfwayOnce);
        using var client = new HubClient(_hub.Options());

        string path = await client.DownloadAsync(Weights());

        File.ReadAllBytes(path).ShouldBe(file.Content);
        RecordedRequest[] gets = _hub.Gets();
        gets.Length.ShouldBe(2);
        gets[0].Range.ShouldBeNull();
        gets[1].Range.ShouldNotBeNull();
        long resumedAt = long.Parse(gets[1].Range!["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        resumedAt.ShouldBeInRange(1, file.Content.Length / 2);
    }

    [Fact]
    public async Task A_partial_file_from_an_earlier_run_is_continued_from_its_end()
    {
        HostedFile file = AddWeights(length: 90_000);
        string incomplete = Path.Join(Storage, "blobs", file.Etag + ".incomplete");
        Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
        File.WriteAllBytes(incomplete, file.Content[..30_000]);
        var progress = new ProgressLog();
        using var client = new HubClient(_hub.Options());

        string path = await client.DownloadAsync(Weights(), progress);

        File.ReadAllBytes(path).ShouldBe(file.Content);
        _hub.Gets().Single().Range.ShouldBe("bytes=30000-");
        progress.Reports.First().BytesDone.ShouldBe(30_000);
        File.Exists(incomplete).ShouldBeFalse();
    }

    [Fact]
    public async Task A_server_ignoring_the_range_sends_everything_and_the_file_restarts()
    {
        HostedFile file = AddWeights(length: 90_000, CdnFault.IgnoreRange);
        string incomplete = Path.Join(Storage, "blobs", file.Etag + ".incomplete");
        Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
        File.WriteAllBytes(incomplete, FakeHub.RandomBytes(30_000, seed: 99));   // not even a prefix of the file
        using var client = new HubClient(_hub.Options());

        string path = await client.DownloadAsync(Weights());

        File.ReadAllBytes(path).ShouldBe(file.Content);
        _hub.Gets().Single().Range.ShouldBe("bytes=30000-");
    }

    [Fact]
    public async Task A_corrupt_download_is_rejected_and_nothing_is_left_in_the_cache()
    {
        byte[] content = FakeHub.RandomBytes(80_000, seed: 3);
        byte[] corrupt = (byte[])content.Clone();
        corrupt[40_000] ^= 0xFF;
        HostedFile file = _hub.Add(new HostedFile(Repo, WeightsPath, content, Lfs: true) { Served = corrupt });
        using var client = new HubClient(_hub.Options());

        HubException e = await Should.ThrowAsync<HubException>(() => client.DownloadAsync(Weights()));

        e.Kind.ShouldBe(HubErrorKind.Integrity);
        e.Message.ShouldContain($"its SHA-256 is {FakeHub.Sha256(corrupt)}, the server announced {file.Etag}");
        FilesInStorage().ShouldBe([Path.Join("refs", "main")]);
    }

    [Fact]
    public async Task Progress_names_the_file_and_counts_up_to_the_total()
    {
        HostedFile file = AddWeights(length: 2_000_000);
        var progress = new ProgressLog();
        using var client = new HubClient(_hub.Options());

        await client.DownloadAsync(Weights(), progress);

        DownloadProgress[] reports = progress.Reports.ToArray();
        reports.ShouldAllBe(p => p.FileName == WeightsPath && p.TotalBytes == file.Content.Length);
        reports[0].BytesDone.ShouldBe(0);
        reports[^1].BytesDone.ShouldBe(file.Content.Length);
        reports[^1].Fraction.ShouldBe(1.0);
        reports.Zip(reports.Skip(1)).ShouldAllBe(pair => pair.First.BytesDone <= pair.Second.BytesDone);
    }

    [Fact]
    public async Task Cancellation_leaves_only_the_incomplete_part_which_a_later_download_continues()
    {
        HostedFile file = AddWeights(length: 1_000_000, CdnFault.StallHalfway);
        using var client = new HubClient(_hub.Options());
        using var cancel = new CancellationTokenSource();

        Task<string> download = client.DownloadAsync(Weights(), cancellationToken: cancel.Token);
        await _hub.HalfSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);   // let the client write what arrived
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => download);
        string incomplete = Path.Join("blobs", file.Etag + ".incomplete");
        FilesInStorage().ShouldBe([incomplete, Path.Join("refs", "main")]);
        long kept = new FileInfo(Path.Join(Storage, incomplete)).Length;
        kept.ShouldBeInRange(1, file.Content.Length / 2);

        _hub.Add(file with { Fault = CdnFault.None });
        string path = await client.DownloadAsync(Weights());
        File.ReadAllBytes(path).ShouldBe(file.Content);
        _hub.Gets()[^1].Range.ShouldBe($"bytes={kept}-");
    }

    [Fact]
    public async Task Concurrent_downloads_of_one_file_share_a_single_transfer()
    {
        HostedFile file = AddWeights(length: 500_000);
        using var first = new HubClient(_hub.Options());
        using var second = new HubClient(_hub.Options());

        string[] paths = await Task.WhenAll(first.DownloadAsync(Weights()), second.DownloadAsync(Weights()));

        paths[1].ShouldBe(paths[0]);
        File.ReadAllBytes(paths[0]).ShouldBe(file.Content);
        _hub.Gets().Length.ShouldBe(1);
    }

    [Fact]
    public async Task A_download_waits_while_another_process_holds_the_blob_lock()
    {
        HostedFile file = AddWeights(length: 10_000);
        string lockPath = Path.Join(_hub.CacheDirectory, ".locks", "models--kyutai--pocket-tts", file.Etag + ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        using var client = new HubClient(_hub.Options());

        Task<string> download;
        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))   // what huggingface_hub's filelock takes
        {
            download = client.DownloadAsync(Weights());
            await Task.Delay(500);
            download.IsCompleted.ShouldBeFalse();
            _hub.Gets().ShouldBeEmpty();
        }

        File.ReadAllBytes(await download).ShouldBe(file.Content);
    }
}
