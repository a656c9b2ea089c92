using System.Diagnostics;
using System.Text.RegularExpressions;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>
/// <c>pocket-tts serve</c> as a real child process (the tiny model, 127.0.0.1, a free port), for what only a process
/// shows: signals, exit codes, several servers side by side. Killed on dispose if it still runs.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LockedWriter _log = new();
    private readonly string _home;

    private ServeProcess(Process process, string home)
    {
        _process = process;
        _home = home;
        _process.OutputDataReceived += (_, line) => _log.WriteLine(line.Data);
        _process.ErrorDataReceived += (_, line) => _log.WriteLine(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The server's address, once it serves.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the process printed so far (stdout and stderr).</summary>
    public string Log => _log.ToString();

    /// <summary>Starts a server with the tiny model and its voice, plus <paramref name="arguments"/>, and waits until it serves.</summary>
    public static Task<ServeProcess> StartAsync(params string[] arguments) => StartAsync(new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="environment"/> added to the server's environment.</summary>
    public static async Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        string home = Directory.CreateTempSubdirectory("pocket-tts-serve-process-").FullName;
        // `env --default-signal` gives the server every signal at its default, as a shell or systemd would, even where
        // the test host ignores one.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--default-signal", "dotnet", Path.Combine(AppContext.BaseDirectory, "pocket-tts.dll"), "serve",
                                                "--config", TinyModel.Config, "--voice", TinyModel.VoiceState, "--host", "127.0.0.1", "--port", "0", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HF_HOME"] = Path.Combine(home, "hf");
        start.Environment["POCKET_TTS_CACHE"] = Path.Combine(home, "cache");
        start.Environment["HF_HUB_OFFLINE"] = "1";
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        var server = new ServeProcess(Process.Start(start)!, home);
        Match match = Match.Empty;
        for (int i = 0; i < 1200 && !(match = ServingLine().Match(server.Log)).Success; i++)
        {
            if (server._process.HasExited)
                break;
            await Task.Delay(50);
        }
        if (!match.Success)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("The server did not start: " + server.Log);
        }
        server.BaseAddress = new Uri(match.Groups[1].Value + "/");
        return server;
    }

    /// <summary>Sends a signal (TERM, INT…) to the server.</summary>
    public void Signal(string signal) => ProcessRunner.Run("kill", $"-{signal} {_process.Id}", _home, TimeSpan.FromSeconds(10)).ExitCode.ShouldBe(0);

    /// <summary>Waits for the server to exit and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server still runs after {timeout.TotalSeconds} s: {Log}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [GeneratedRegex(@"Serving Pocket TTS on (http://[0-9.]+:[0-9]+)")]
    private static partial Regex ServingLine();
}
