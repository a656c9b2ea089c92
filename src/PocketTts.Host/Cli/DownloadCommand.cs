using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Host.Models;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts download</c>: fetch a model's files into the cache ahead of time.</summary>
internal static class DownloadCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("download", """
            Download a model's weights and tokenizer into the Hugging Face cache, so later runs work offline.

            Examples:
              pocket-tts download
              pocket-tts download --language french_24l
            """);
        command.Options.Add(ModelCliOptions.Language);
        command.Options.Add(ModelCliOptions.Config);
        command.Options.Add(ModelCliOptions.Quiet);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async services =>
        {
            ModelOptions options = ModelCliOptions.Read(parse);
            bool quiet = parse.GetValue(ModelCliOptions.Quiet);
            var files = await DownloadProgressDisplay.RunAsync(context.Error, quiet,
                progress => services.GetRequiredService<ModelLoader>().ResolveFilesAsync(options, progress, cancellationToken));
            foreach (string notice in files.Files.Notices)
                context.Error.WriteLine("warning: " + notice);
            context.Output.WriteLine($"weights:   {files.Files.WeightsPath}");
            context.Output.WriteLine($"tokenizer: {files.Files.TokenizerPath}");
            context.Output.WriteLine($"voice cloning: {(files.Files.HasVoiceCloning ? "yes" : "no")}");
            return 0;
        }, cancellationToken));
        return command;
    }
}
