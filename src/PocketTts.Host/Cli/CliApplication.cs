using System.CommandLine;

namespace PocketTts.Host.Cli;

/// <summary>The <c>pocket-tts</c> command tree. Runs in process, so tests drive the real commands.</summary>
internal static class CliApplication
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Pocket TTS for .NET: fast text-to-speech with voice cloning, on the CPU or on plugin backends.");
        root.Options.Add(GlobalOptions.Backend);
        root.Options.Add(GlobalOptions.PluginsDir);
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(ExportVoiceCommand.Create(context));
        root.Subcommands.Add(VoicesCommand.Create(context));
        root.Subcommands.Add(DownloadCommand.Create(context));
        root.Subcommands.Add(BackendsCommand.Create(context));
        root.Subcommands.Add(PluginsCommand.Create(context));
        root.Subcommands.Add(QuantizeCommand.Create(context));
        root.Subcommands.Add(ExportOnnxCommand.Create(context));
        root.Subcommands.Add(Bench.BenchCommand.Create(context));
        root.Subcommands.Add(NormalizeCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?>? environment = null,
                                           Stream? standardOutput = null, TextReader? standardInput = null, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, environment ?? Environment.GetEnvironmentVariable, standardOutput, standardInput);
        var root = Build(context);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (string line in ParseErrorReport.Lines(parse))
                await error.WriteLineAsync(line);
            return 1;
        }
        var config = new InvocationConfiguration { Output = output, Error = error };
        if (ServeCommand.ProcessTerminationTimeout(parse) is { } drain)
            config.ProcessTerminationTimeout = drain;
        return await parse.InvokeAsync(config, cancellationToken);
    }
}
