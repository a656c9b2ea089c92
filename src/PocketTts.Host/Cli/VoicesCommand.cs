using System.CommandLine;
using PocketTts.Config;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts voices</c>: the predefined voices, their language and the recording each was made from.</summary>
internal static class VoicesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("voices", """
            List the predefined voices (usable with --voice NAME on any built-in language).

            Example:
              pocket-tts voices
            """);
        command.SetAction(_ =>
        {
            context.Output.WriteLine($"{"name",-16} {"language",-12} source");
            foreach (PredefinedVoice voice in PredefinedVoices.All)
                context.Output.WriteLine($"{voice.Name,-16} {voice.Language,-12} {voice.Source}");
            return 0;
        });
        return command;
    }
}
