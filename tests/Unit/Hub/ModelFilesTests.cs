using PocketTts.Hub;

namespace PocketTts.Tests.Unit.Hub;

public sealed class ModelFilesTests : IAsyncLifetime
{
    private const string Gated = "kyutai/pocket-tts";
    private const string Public = "kyutai/pocket-tts-without-voice-cloning";
    private const string Weights = "languages/english/model.safetensors";
    private static readonly byte[] GatedWeights = FakeHub.RandomBytes(40_000, seed: 11);
    private static readonly byte[] PublicWeights = FakeHub.RandomBytes(30_000, seed: 12);
    private static readonly byte[] Tokenizer = FakeHub.RandomBytes(2_000, seed: 13);

    private static readonly ModelFileReferences English = new()
    {
        Weights = $"hf://{Gated}/{Weights}@{FakeHub.Commit}",
        WeightsWithoutVoiceCloning = $"hf://{Public}/{Weights}@{FakeHub.Commit}",
        Tokenizer = $"hf://{Public}/languages/english/tokenizer.model@{FakeHub.Commit}",
    };

    private FakeHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _hub.Add(new HostedFile(Gated, Weights, GatedWeights, Lfs: true));
        _hub.Add(new HostedFile(Public, Weights, PublicWeights, Lfs: true));
        _hub.Add(new HostedFile(Public, "languages/english/tokenizer.model", Tokenizer, Lfs: false));
        _hub.Gate(Gated);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task With_access_to_the_gated_repository_the_voice_cloning_weights_are_used()
    {
        using var client = new HubClient(_hub.Options(token: FakeHub.GoodToken));

        ModelFiles files = await ModelFiles.ResolveAsync(client, English);

        File.ReadAllBytes(files.WeightsPath).ShouldBe(GatedWeights);
        File.ReadAllBytes(files.TokenizerPath).ShouldBe(Tokenizer);
        files.HasVoiceCloning.ShouldBeTrue();
        files.Notices.ShouldBeEmpty();
        files.ConfigPath.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("hf_not_accepted")]
    public async Task A_refused_gated_download_falls_back_to_the_public_weights_and_says_how_to_get_voice_cloning(string? token)
    {
        using var client = new HubClient(_hub.Options(token));

        ModelFiles files = await ModelFiles.ResolveAsync(client, English);

        File.ReadAllBytes(files.WeightsPath).ShouldBe(PublicWeights);
        files.WeightsPath.ShouldContain("models--kyutai--pocket-tts-without-voice-cloning");
        files.HasVoiceCloning.ShouldBeFalse();
        string notice = files.Notices.ShouldHaveSingleItem();
        notice.ShouldContain($"Voice cloning is off: access to the weights with voice cloning was refused (HTTP {(token is null ? 401 : 403)})");
        notice.ShouldContain($"accept the terms on {_hub.Endpoint.AbsoluteUri}{Gated}");
        notice.ShouldContain("set HF_TOKEN");
    }

    [Fact]
    public async Task Offline_with_only_the_public_weights_cached_falls_back_too()
    {
        using (var online = new HubClient(_hub.Options()))
            await ModelFiles.ResolveAsync(online, English);
        _hub.Requests.Clear();
        using var offline = new HubClient(_hub.Options(offline: true));

        ModelFiles files = await ModelFiles.ResolveAsync(offline, English);

        files.HasVoiceCloning.ShouldBeFalse();
        files.Notices.ShouldHaveSingleItem().ShouldContain("the weights with voice cloning are not cached and offline mode is on");
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Other_errors_are_not_hidden_by_the_fallback()
    {
        using var client = new HubClient(_hub.Options(token: FakeHub.GoodToken));
        ModelFileReferences references = English with { Weights = $"hf://{Gated}/languages/klingon/model.safetensors@{FakeHub.Commit}" };

        HubException e = await Should.ThrowAsync<HubException>(() => ModelFiles.ResolveAsync(client, references));

        e.Kind.ShouldBe(HubErrorKind.NotFound);
        e.Message.ShouldContain("languages/klingon/model.safetensors does not exist");
    }

    [Fact]
    public async Task Local_files_are_resolved_against_the_base_directory()
    {
        Directory.CreateDirectory(_hub.Root);
        foreach (string name in new[] { "config.yaml", "model.safetensors", "tokenizer.model" })
            await File.WriteAllTextAsync(Path.Join(_hub.Root, name), name);
        using var client = new HubClient(_hub.Options());

        ModelFiles files = await ModelFiles.ResolveAsync(client, new ModelFileReferences
        {
            Config = "config.yaml",
            Weights = "model.safetensors",
            Tokenizer = "tokenizer.model",
            BaseDirectory = _hub.Root,
        });

        files.ShouldBe(files with
        {
            ConfigPath = Path.Join(_hub.Root, "config.yaml"),
            WeightsPath = Path.Join(_hub.Root, "model.safetensors"),
            TokenizerPath = Path.Join(_hub.Root, "tokenizer.model"),
            HasVoiceCloning = true,
        });
        _hub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_configuration_with_only_public_weights_has_no_voice_cloning_and_says_so()
    {
        using var client = new HubClient(_hub.Options());

        ModelFiles files = await ModelFiles.ResolveAsync(client, English with { Weights = null });

        files.HasVoiceCloning.ShouldBeFalse();
        files.Notices.ShouldHaveSingleItem().ShouldContain("no weights with voice cloning");
    }

    [Fact]
    public async Task A_configuration_without_weights_is_rejected()
    {
        using var client = new HubClient(_hub.Options());

        ArgumentException e = await Should.ThrowAsync<ArgumentException>(() =>
            ModelFiles.ResolveAsync(client, English with { Weights = null, WeightsWithoutVoiceCloning = null }));

        e.Message.ShouldContain("names no weights (weights_path or weights_path_without_voice_cloning)");
    }
}
