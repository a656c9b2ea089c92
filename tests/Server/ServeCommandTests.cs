using System.Text.RegularExpressions;
using PocketTts.Host.Cli;
using PocketTts.Tests.Server.Infrastructure;

namespace PocketTts.Tests.Server;

/// <summary><c>pocket-tts serve</c> through the real command line, in process.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("pocket-tts-serve-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task<(int Exit, string Error)> RunAsync(string[] args, LockedWriter error, CancellationToken cancellationToken = default)
    {
        var environment = new Dictionary<string, string>
        {
            ["HF_HOME"] = Path.Combine(_home, "hf"),
            ["POCKET_TTS_CACHE"] = Path.Combine(_home, "cache"),
            ["HF_HUB_OFFLINE"] = "1",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "",
        };
        int exit = await CliApplication.RunAsync(args, new LockedWriter(), error, name => environment.GetValueOrDefault(name), cancellationToken: cancellationToken);
        return (exit, error.ToString());
    }

    [Fact]
    public async Task Serve_starts_answers_and_stops_on_cancellation()
    {
        using var stop = new CancellationTokenSource();
        var error = new LockedWriter();
        Task<(int Exit, string Error)> run = RunAsync(
            ["serve", "--config", TinyModel.Config, "--voice", TinyModel.VoiceState, "--host", "127.0.0.1", "--port", "0"], error, stop.Token);

        Match match = Match.Empty;
        for (int i = 0; i < 600 && !(match = ServingLine().Match(error.ToString())).Success; i++)
        {
            run.IsCompleted.ShouldBeFalse(error.ToString());
            await Task.Delay(50);
        }
        match.Success.ShouldBeTrue(error.ToString());
        using var http = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value + "/") };
        (await http.GetStringAsync("health")).ShouldContain("healthy");
        (await http.GetStringAsync("v1/audio/voices")).ShouldContain("voice_state");

        await stop.CancelAsync();
        (int exit, string log) = await run;
        exit.ShouldBe(0, log);
    }

    [Fact]
    public async Task Serving_every_interface_warns_that_there_is_no_authentication()
    {
        using var stop = new CancellationTokenSource();
        var error = new LockedWriter();
        Task<(int Exit, string Error)> run = RunAsync(["serve", "--config", TinyModel.Config, "--voice", TinyModel.VoiceState, "--host", "0.0.0.0", "--port", "0", "-q"], error, stop.Token);

        for (int i = 0; i < 600 && !error.ToString().Contains("no authentication", StringComparison.Ordinal); i++)
        {
            run.IsCompleted.ShouldBeFalse(error.ToString());
            await Task.Delay(50);
        }
        await stop.CancelAsync();
        (int exit, string log) = await run;
        exit.ShouldBe(0, log);
        log.ShouldContain("warning: --host 0.0.0.0 serves every network interface, and the server has no authentication");
    }

    [Theory]
    [InlineData(new[] { "--port", "0" }, "--port 0 needs an IP address as --host")]
    [InlineData(new[] { "--max-concurrent", "0" }, "--max-concurrent must be ≥ 1")]
    [InlineData(new[] { "--queue-timeout", "-1" }, "--queue-timeout must be a positive number of seconds")]
    [InlineData(new[] { "--voices-dir", "/nonexistent/voices" }, "--voices-dir does not exist")]
    [InlineData(new[] { "--browser-dir", "/nonexistent/wwwroot" }, "holds no browser build (pocket-tts.js)")]
    [InlineData(new[] { "--ffmpeg", "/nonexistent/ffmpeg" }, "--ffmpeg: no such file")]
    [InlineData(new[] { "--voice", "/nonexistent/voice.wav" }, "nonexistent/voice.wav")]
    [InlineData(new[] { "--default-voice", "/nonexistent/other.wav" }, "nonexistent/other.wav")]
    [InlineData(new[] { "--temperature", "-1" }, "error: --temperature expects a number ≥ 0, not '-1'.")]
    [InlineData(new[] { "--max-voice-url-mb", "0" }, "--max-voice-url-mb must be a positive number")]
    [InlineData(new[] { "--max-registered-voices", "0" }, "--max-registered-voices and --max-registered-voices-mb must be positive")]
    public async Task Bad_options_print_one_line_and_exit_non_zero(string[] options, string expected)
    {
        string[] args = ["serve", "--config", TinyModel.Config, .. options];
        if (!options.Contains("--port"))
            args = [.. args, "--host", "127.0.0.1", "--port", "0"]; // every case fails before serving
        if (!options.Contains("--voice") && !options.Contains("--default-voice"))
            args = [.. args, "--voice", TinyModel.VoiceState];
        (int exit, string error) = await RunAsync(args, new LockedWriter());
        exit.ShouldNotBe(0);
        error.ShouldContain(expected);
        error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Serve_has_help_with_examples()
    {
        var output = new LockedWriter();
        int exit = await CliApplication.RunAsync(["serve", "--help"], output, new LockedWriter());
        exit.ShouldBe(0);
        output.ToString().ShouldContain("Examples:");
        output.ToString().ShouldContain("--max-concurrent");
        output.ToString().ShouldContain("--default-voice, --voice");
    }

    [GeneratedRegex(@"Serving Pocket TTS on (http://[0-9.]+:[0-9]+)")]
    private static partial Regex ServingLine();
}
