using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using PocketTts.Audio.Encoders;
using PocketTts.Host.Models;
using PocketTts.Host.Plugins;
using PocketTts.Hub;

namespace PocketTts.Host.Cli;

/// <summary>
/// What a command needs from its environment (streams, environment variables) and the service container, plus
/// the one place where user-caused failures become a one-line message and a non-zero exit code.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, Func<string, string?> environment, Stream? standardOutput = null, TextReader? standardInput = null)
{
    /// <summary>Set to 1 to let an unexpected failure print its stack trace.</summary>
    public const string DebugVariable = "POCKET_TTS_DEBUG";

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Raw standard output, for audio written with <c>--output-path -</c>.</summary>
    public Stream StandardOutput => standardOutput ??= OpenStandardOutput();

    public TextReader StandardInput => standardInput ?? Console.In;

    public string? GetEnvironment(string name) => environment(name);

    /// <summary>Builds the service container for one command invocation, with the plugins the options point at.</summary>
    public ServiceProvider BuildServices(ParseResult parse)
    {
        var roots = PluginSearchPath.Resolve(parse.GetValue(GlobalOptions.PluginsDir) ?? [], environment);
        bool quiet = parse.GetResult(ModelCliOptions.Quiet) is not null && parse.GetValue(ModelCliOptions.Quiet);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new CliLoggerProvider(Error, quiet ? LogLevel.Error : LogLevel.Information)));
        services.AddBackendPlugins(roots);
        services.AddSingleton(_ => new HubClient(HubOptions.FromEnvironment(environment)));
        services.AddSingleton<ModelLoader>();
        services.AddSingleton(provider => new VoiceResolver(provider.GetRequiredService<HubClient>(), AudioEncoderFactory.FindFfmpeg(environment("PATH"))));
        return services.BuildServiceProvider();
    }

    /// <summary>Runs a command body with its services; failures the user can fix print one line and return the exit code of their kind (<see cref="CliErrors"/>).</summary>
    public Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, Task<int>> body, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using ServiceProvider services = BuildServices(parse);
            return await body(services);
        }, cancellationToken);

    /// <summary>Runs a command body that needs no services (no plugin is loaded); failures the user can fix print one line and return the exit code of their kind (<see cref="CliErrors"/>).</summary>
    public async Task<int> RunAsync(Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (StandardOutputClosedException e)
        {
            await Error.WriteLineAsync("error: " + e.Message);
            return StandardOutputClosedException.ExitCode;
        }
        catch (Exception e) when (CliErrors.UserMessage(e) is { } message)
        {
            await Error.WriteLineAsync("error: " + message);
            return CliErrors.ExitCode(e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Error.WriteLineAsync("cancelled");
            return 130;
        }
        catch (Exception e) when (e is not OperationCanceledException && environment(DebugVariable) is not "1")
        {
            // A failure no check foresaw is a bug, but a stack trace of framework frames helps no user: one line, and
            // the variable that shows the rest to whoever reports it.
            await Error.WriteLineAsync($"error: internal error: {e.Message} (please report it; {DebugVariable}=1 shows where it happened)");
            return CliErrors.Internal;
        }
    }

    /// <summary>
    /// Console's standard output stream ignores EPIPE ("pretend we were successful"), so when the reader of a pipe
    /// went away, generation ran to its end and exited 0. A pipe or terminal is written through a FileStream on
    /// descriptor 1, which reports it; a regular file keeps Console's stream, because a seekable stream would let the
    /// WAV writer seek back to the header, and in a file opened for appending (<c>&gt;&gt;</c>) that write lands at the end.
    /// </summary>
    private static Stream OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsBrowser())
            return Console.OpenStandardOutput();
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (!stream.CanSeek)
            return stream;
        stream.Dispose();
        return Console.OpenStandardOutput();
    }

    public void Log(ParseResult parse, string message)
    {
        if (!parse.GetValue(ModelCliOptions.Quiet))
            Error.WriteLine(message);
    }
}
