using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Audio.Encoders;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Host.Audio;
using PocketTts.Host.Models;
using PocketTts.Voices;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts generate</c>: the reference's command, option for option, plus backend, seed and device.</summary>
internal static class GenerateCommand
{
    private static readonly Option<string?> Text = new("--text") { Description = "Text to speak; '-' reads it from standard input as it arrives (speech starts once the first chunk of sentences is complete). Default: a sample sentence in the model's language." };
    private static readonly Option<string?> Voice = new("--voice") { Description = "Predefined voice name, WAV/MP3 file, exported .safetensors state, http(s) URL or hf://repo/path@rev. Default: the language's voice (alba for english)." };
    private static readonly Option<string> OutputPath = new("--output-path") { Description = "Output audio file (its extension picks the format), or '-' for standard output.", DefaultValueFactory = _ => "./tts_output.wav" };
    private static readonly Option<string?> Format = new Option<string?>("--format")
    {
        Description = "Audio format: wav, pcm, opus, mp3, aac or flac (mp3, aac and flac need ffmpeg). Default: from the output's extension, else wav.",
        HelpName = "format",
    }.Accepts($"one of {string.Join(", ", AudioFormats.Names)}", value => value is null || AudioFormats.TryParse(value, out _));

    public static Command Create(CliContext context)
    {
        var command = new Command("generate", """
            Generate speech from text and write it as a 16-bit mono 24 kHz WAV file (or, by the output's
            extension or --format, as pcm, opus, mp3, aac or flac).

            Examples:
              pocket-tts generate --text "Hello world."
              echo "Read from a pipe." | pocket-tts generate --text - --voice ref.wav --output-path out.wav
              llm "Tell me a story." | pocket-tts generate --text - --output-path - | aplay
              pocket-tts generate --text "Bonjour." --language french_24l --output-path - | aplay
              pocket-tts generate --text "Wait for it [pause:1.5s] there it is."
              pocket-tts generate --text "Well, then. Let us go." --natural-pauses --comma-pause-ms 200
              pocket-tts generate --text "Compressed." --output-path hello.mp3

            Pauses: [pause] (500 ms), [pause:800ms], [pause:1.5s], <break time="700ms"/> or
            <break strength="weak|medium|strong"/> insert exact silence; with --natural-pauses, commas,
            sentence ends and ellipses add a short pause too (without it, text is chunked as the
            reference chunks it). Text is normalised in the model's language (numbers, currency, times,
            dates, units, abbreviations) unless --no-normalize is given; 'pocket-tts normalize' shows how.
            """);
        foreach (Option option in new Option[] { Text, Voice, ModelCliOptions.Quiet, ModelCliOptions.Language, ModelCliOptions.Config, OutputPath, Format, ModelCliOptions.Quantize, ModelCliOptions.OnnxGraphs, ModelCliOptions.Checkpoint, ModelCliOptions.Device, ModelCliOptions.Threads }.Concat(GenerationCliOptions.All).Concat(VoiceUrlCliOptions.All))
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, services => RunAsync(parse, context, services, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        GenerationOptions options = GenerationCliOptions.Read(parse);
        ModelOptions modelOptions = ModelCliOptions.Read(parse);
        string? voiceName = parse.GetValue(Voice);
        if (voiceName is not null)
            VoiceResolver.CheckBeforeLoad(voiceName, "--voice", modelOptions);
        string? text = parse.GetValue(Text) ?? LanguageCatalog.DefaultText(modelOptions.Language ?? (modelOptions.ConfigPath is null ? ModelOptions.DefaultLanguage : null));
        StandardInputText? input = text == "-" ? StandardInputText.Start(context.StandardInput) : null;
        if (input is null && string.IsNullOrWhiteSpace(text))
            throw new UsageException("No text to speak: --text is empty.");
        string output = parse.GetValue(OutputPath)!;
        // Checked before the model is loaded: a format without its encoder fails at once.
        bool named = AudioFormats.TryParse(parse.GetValue(Format), out AudioFormat format);
        if (!named)
            format = output == "-" ? AudioFormat.Wav : AudioFormats.FromExtension(output) ?? AudioFormat.Wav;
        AudioEncoderFactory encoders = Ffmpeg.Encoders(configuredFfmpeg: null, context.GetEnvironment);
        try
        {
            encoders.EnsureAvailable(format);
        }
        catch (UnsupportedException e) when (!named)
        {
            throw new UnsupportedException($"{format.Name()} (from the extension) {e.Reason}", "OutputPath", output, e);
        }

        bool quiet = parse.GetValue(ModelCliOptions.Quiet);
        using LoadedModel loaded = await DownloadProgressDisplay.RunAsync(context.Error, quiet,
            progress => services.GetRequiredService<ModelLoader>().LoadAsync(modelOptions, progress, cancellationToken));
        VoiceState voice = await services.GetRequiredService<VoiceResolver>().ResolveAsync(loaded, voiceName, VoiceUrlCliOptions.Read(parse), cancellationToken);

        var progress = GenerationProgress.StartNew();
        await TerminalStatus.RunAsync(context.Error, quiet, "Generating…", async report =>
        {
            IAsyncEnumerable<AudioChunk> speech = input is null
                ? loaded.Model.GenerateStreamingAsync(text, voice, options, cancellationToken)
                : loaded.Model.GenerateStreamingAsync(input.Pieces(cancellationToken), voice, options, cancellationToken);
            IAsyncEnumerable<AudioChunk> audio = progress.Track(speech, report, cancellationToken);
            await WriteAsync(audio, output, format, encoders, loaded.Model.SampleRate, context, cancellationToken);
            return progress;
        }, done => done.Summary());
        if (output != "-")
            context.Log(parse, $"Results written in {output}");
        return 0;
    }

    private static async Task WriteAsync(IAsyncEnumerable<AudioChunk> audio, string output, AudioFormat format, AudioEncoderFactory encoders, int sampleRate,
        CliContext context, CancellationToken cancellationToken)
    {
        if (output != "-")
        {
            await AudioOutput.WriteFileAsync(audio, output, format, encoders, sampleRate, cancellationToken);
            return;
        }
        try
        {
            await AudioOutput.StreamAsync(audio, context.StandardOutput, format, encoders, sampleRate, cancellationToken);
        }
        catch (IOException e) when (StandardOutputClosedException.IsBrokenPipe(e))
        {
            throw new StandardOutputClosedException("standard output was closed before all audio was written (broken pipe).", e);
        }
    }
}
