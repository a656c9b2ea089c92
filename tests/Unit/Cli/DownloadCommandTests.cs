using PocketTts.Audio;
using PocketTts.Host.Cli;
using PocketTts.Tests.Unit.Hub;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>The commands against a Hugging Face Hub on loopback serving the tiny model, gated as the real one is.</summary>
public sealed class DownloadCommandTests : IAsyncLifetime, IDisposable
{
    private readonly CliTestHost _host = new();
    private FakeHub _hub = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        byte[] model = await File.ReadAllBytesAsync(RepoPaths.Fixture("tiny/model.safetensors"));
        _hub.Add(new HostedFile("kyutai/pocket-tts", "tiny/model.safetensors", model, Lfs: true));
        _hub.Add(new HostedFile("kyutai/pocket-tts-without-voice-cloning", "tiny/model.safetensors", model, Lfs: true));
        _hub.Add(new HostedFile("kyutai/pocket-tts-without-voice-cloning", "tiny/tokenizer.model", await File.ReadAllBytesAsync(RepoPaths.Fixture("tokenizer.model")), Lfs: false));
        _hub.Add(new HostedFile("kyutai/tts-voices", "ref.wav", await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "ref.wav")), Lfs: true));
        _hub.Gate("kyutai/pocket-tts");
        string yaml = (await File.ReadAllTextAsync(RepoPaths.Fixture("tiny/config.yaml")))
            .Replace("weights_path: model.safetensors", $"weights_path: hf://kyutai/pocket-tts/tiny/model.safetensors@{FakeHub.Commit}", StringComparison.Ordinal)
            .Replace("weights_path_without_voice_cloning: hf://kyutai/pocket-tts/", "weights_path_without_voice_cloning: hf://kyutai/pocket-tts-without-voice-cloning/", StringComparison.Ordinal)
            .Replace("weights_path_without_voice_cloning: model.safetensors", $"weights_path_without_voice_cloning: hf://kyutai/pocket-tts-without-voice-cloning/tiny/model.safetensors@{FakeHub.Commit}", StringComparison.Ordinal)
            .Replace("../tokenizer.model", $"hf://kyutai/pocket-tts-without-voice-cloning/tiny/tokenizer.model@{FakeHub.Commit}", StringComparison.Ordinal);
        _config = _host.PathOf("hub.yaml");
        await File.WriteAllTextAsync(_config, yaml);
    }

    public Task DisposeAsync() => _hub.DisposeAsync().AsTask();

    public void Dispose() => _host.Dispose();

    private Dictionary<string, string> Online(string? token = null)
    {
        var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = _hub.Endpoint.ToString(), ["HF_HUB_OFFLINE"] = "0" };
        if (token is not null)
            env["HF_TOKEN"] = token;
        return env;
    }

    [Fact]
    public async Task Without_access_to_the_gated_repository_the_public_weights_are_used_and_cloning_is_explained()
    {
        CliResult download = await _host.RunAsync(["download", "--config", _config], environmentOverrides: Online());
        download.ExitCode.ShouldBe(0, download.ToString());
        download.Output.ShouldContain("voice cloning: no");
        download.Error.ShouldContain("Voice cloning is off");
        File.Exists(download.Output.Split('\n')[0]["weights:".Length..].Trim()).ShouldBeTrue();

        CliResult clone = await _host.RunAsync(["generate", "--text", "Hello.", "--config", _config, "--voice", "hf://kyutai/tts-voices/ref.wav", "-q", "--output-path", _host.PathOf("c.wav")], environmentOverrides: Online());
        clone.ExitCode.ShouldBe(CliErrors.Unsupported);
        clone.Error.ShouldContain("cannot clone a voice from audio");
        clone.Error.ShouldContain("HF_TOKEN");

        // Offline now: everything needed is in the cache.
        string output = _host.PathOf("out.wav");
        CliResult generate = await _host.RunAsync(["generate", "--text", "Hello.", "--config", _config, "--voice", RepoPaths.Fixture("voice_state.safetensors"), "-q", "--output-path", output]);
        generate.ExitCode.ShouldBe(0, generate.ToString());
        WavReader.Read(await File.ReadAllBytesAsync(output)).Samples.Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task With_a_token_the_gated_weights_clone_a_voice_from_a_downloaded_recording()
    {
        string output = _host.PathOf("cloned.wav");
        CliResult result = await _host.RunAsync(["generate", "--text", "Hello.", "--config", _config, "--voice", "hf://kyutai/tts-voices/ref.wav", "-q", "--output-path", output], environmentOverrides: Online(FakeHub.GoodToken));
        result.ExitCode.ShouldBe(0, result.ToString());
        WavReader.Read(await File.ReadAllBytesAsync(output)).Samples.Length.ShouldBeGreaterThan(0);
    }
}
