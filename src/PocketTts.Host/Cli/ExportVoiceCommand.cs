using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Host.Audio;
using PocketTts.Host.Models;
using PocketTts.Voices;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts export-voice AUDIO OUT</c>: compute voice states once and save them as safetensors.</summary>
internal static class ExportVoiceCommand
{
    private static readonly string[] AudioExtensions = [".wav", ".mp3"];

    public static Command Create(CliContext context)
    {
        var audio = new Argument<string>("audio") { Description = "Audio file (WAV/MP3, path or URL) or a folder of audio files." };
        var output = new Argument<string>("output") { Description = "Output .safetensors file, or a folder when AUDIO is a folder." };
        var command = new Command("export-voice", """
            Convert audio into voice states saved as .safetensors (the first 30 s of each file are used), for fast reuse with --voice.

            Examples:
              pocket-tts export-voice ref.wav my_voice.safetensors
              pocket-tts export-voice recordings/ voices/
            """);
        command.Arguments.Add(audio);
        command.Arguments.Add(output);
        foreach (Option option in new Option[] { ModelCliOptions.Quiet, ModelCliOptions.Language, ModelCliOptions.Config, ModelCliOptions.Checkpoint }.Concat(VoiceUrlCliOptions.All))
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async services =>
        {
            string input = parse.GetValue(audio)!, destination = parse.GetValue(output)!;
            var pairs = Directory.Exists(input) ? FolderPairs(input, destination) : [(input, destination)];
            if (pairs.Count == 0)
                throw new UsageException($"No .wav or .mp3 files in {input}.");
            ModelOptions modelOptions = ModelCliOptions.Read(parse);
            foreach (var (source, _) in pairs)
                VoiceResolver.CheckBeforeLoad(source, "export-voice", modelOptions);
            bool quiet = parse.GetValue(ModelCliOptions.Quiet);
            using LoadedModel loaded = await DownloadProgressDisplay.RunAsync(context.Error, quiet,
                progress => services.GetRequiredService<ModelLoader>().LoadAsync(modelOptions, progress, cancellationToken));
            var resolver = services.GetRequiredService<VoiceResolver>();
            var stopwatch = Stopwatch.StartNew();
            return await TerminalStatus.RunAsync(context.Error, quiet, "Encoding…", async report =>
            {
                for (int i = 0; i < pairs.Count; i++)
                {
                    var (source, target) = pairs[i];
                    report($"Encoding {source} ({i + 1}/{pairs.Count}), {stopwatch.Elapsed.TotalSeconds:F1} s elapsed");
                    VoiceState voice = await resolver.ResolveAsync(loaded, source, VoiceUrlCliOptions.Read(parse), cancellationToken);
                    PocketTtsModel.SaveVoiceState(voice, target);
                    context.Log(parse, $"{source} → {target} ({voice.Length} positions)");
                }
                return 0;
            }, _ => string.Create(CultureInfo.InvariantCulture, $"{pairs.Count} voice(s) exported in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        }, cancellationToken));
        return command;
    }

    private static List<(string Source, string Target)> FolderPairs(string folder, string destination)
    {
        Directory.CreateDirectory(destination);
        return [.. Directory.EnumerateFiles(folder)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) || Ffmpeg.VoiceExtensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, Path.Combine(destination, Path.GetFileNameWithoutExtension(f) + ".safetensors")))];
    }
}
