using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Config;
using PocketTts.Generation;
using PocketTts.Host.Models;
using PocketTts.Voices;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts generate</c>: the reference's command, option for option, plus backend, seed and device.</summary>
internal static class GenerateCommand
{
    private static readonly Option<string?> Text = new("--text") { Description = "Text to speak; '-' reads it from standard input. Default: a sample sentence in the model's language." };
    private static readonly Option<string?> Voice = new("--voice") { Description = "Predefined voice name, WAV/MP3 file, exported .safetensors state, http(s) URL or hf://repo/path@rev. Default: the language's voice (alba for english)." };
    private static readonly Option<string> OutputPath = new("--output-path") { Description = "Output WAV file, or '-' for standard output.", DefaultValueFactory = _ => "./tts_output.wav" };
    // The reference renamed the option in 3.x (the drifting head has no LSD); the old name stays an alias.
    private static readonly Option<int> LsdDecodeSteps = new Option<int>("--sampler-decode-steps", "--lsd-decode-steps")
    {
        Description = "Flow decoding steps per frame (LSD head; the drifting head always takes one).",
        DefaultValueFactory = _ => 1,
    }.AtLeast(1);
    private static readonly Option<float?> Temperature = new Option<float?>("--temperature")
    {
        Description = "Noise temperature; 0 is deterministic. Default: the model's default_temperature (0.3 for every shipped model).",
    }.Positive(zeroAllowed: true);
    private static readonly Option<float?> NoiseClamp = new Option<float?>("--noise-clamp") { Description = "Truncate the noise to ±this value." }.Positive();
    private static readonly Option<float> EosThreshold = new Option<float>("--eos-threshold") { Description = "End-of-speech logit threshold.", DefaultValueFactory = _ => -4f }
        .Accepts("a number", value => !float.IsNaN(value));
    private static readonly Option<int?> FramesAfterEos = new Option<int?>("--frames-after-eos") { Description = "Frames generated after end of speech (default: the model's recommendation or a guess per chunk)." }.AtLeast(0);
    private static readonly Option<int> MaxTokens = new Option<int>("--max-tokens") { Description = "Maximum tokens per text chunk.", DefaultValueFactory = _ => 50 }.AtLeast(1);
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the noise, for reproducible output." };

    public static Command Create(CliContext context)
    {
        var command = new Command("generate", """
            Generate speech from text and write it as a 16-bit mono 24 kHz WAV file.

            Examples:
              pocket-tts generate --text "Hello world."
              echo "Read from a pipe." | pocket-tts generate --text - --voice ref.wav --output-path out.wav
              pocket-tts generate --text "Bonjour." --language french_24l --output-path - | aplay
              pocket-tts generate --text "Wait for it [pause:1.5s] there it is."
              pocket-tts generate --text "Well, then. Let us go." --natural-pauses --comma-pause-ms 200

            Pauses: [pause] (500 ms), [pause:800ms], [pause:1.5s], <break time="700ms"/> or
            <break strength="weak|medium|strong"/> insert exact silence; with --natural-pauses, commas,
            sentence ends and ellipses add a short pause too (without it, text is chunked as the
            reference chunks it). Text is normalised in the model's language (numbers, currency, times,
            dates, units, abbreviations) unless --no-normalize is given; 'pocket-tts normalize' shows how.
            """);
        foreach (Option option in new Option[] { Text, Voice, ModelCliOptions.Quiet, ModelCliOptions.Language, ModelCliOptions.Config, LsdDecodeSteps, Temperature, NoiseClamp, EosThreshold, FramesAfterEos, OutputPath, MaxTokens, ModelCliOptions.Quantize, ModelCliOptions.OnnxGraphs, ModelCliOptions.Checkpoint, Seed, ModelCliOptions.Device, ModelCliOptions.Threads }.Concat(TextCliOptions.All).Concat(VoiceUrlCliOptions.All))
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, services => RunAsync(parse, context, services, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = new GenerationOptions
        {
            Temperature = parse.GetValue(Temperature),
            LsdDecodeSteps = parse.GetValue(LsdDecodeSteps),
            NoiseClamp = parse.GetValue(NoiseClamp),
            EosThreshold = parse.GetValue(EosThreshold),
            FramesAfterEos = parse.GetValue(FramesAfterEos),
            MaxTokensPerChunk = parse.GetValue(MaxTokens),
            Seed = parse.GetValue(Seed),
            Pauses = TextCliOptions.ReadPauses(parse),
            TextNormalizer = TextCliOptions.ReadNormalizer(parse),
        };
        ModelOptions modelOptions = ModelCliOptions.Read(parse);
        string? voiceName = parse.GetValue(Voice);
        if (voiceName is not null)
            VoiceResolver.CheckBeforeLoad(voiceName, "--voice", modelOptions);
        string text = await ReadTextAsync(parse.GetValue(Text), modelOptions.Language ?? (modelOptions.ConfigPath is null ? ModelOptions.DefaultLanguage : null), context);
        string output = parse.GetValue(OutputPath)!;

        bool quiet = parse.GetValue(ModelCliOptions.Quiet);
        using LoadedModel loaded = await DownloadProgressDisplay.RunAsync(context.Error, quiet,
            progress => services.GetRequiredService<ModelLoader>().LoadAsync(modelOptions, progress, cancellationToken));
        VoiceState voice = await services.GetRequiredService<VoiceResolver>().ResolveAsync(loaded, voiceName, VoiceUrlCliOptions.Read(parse), cancellationToken);

        var progress = GenerationProgress.StartNew();
        await TerminalStatus.RunAsync(context.Error, quiet, "Generating…", async report =>
        {
            IAsyncEnumerable<AudioChunk> audio = progress.Track(loaded.Model.GenerateStreamingAsync(text, voice, options, cancellationToken), report, cancellationToken);
            await WriteAsync(audio, output, loaded.Model.SampleRate, context, cancellationToken);
            return progress;
        }, done => done.Summary());
        if (output != "-")
            context.Log(parse, $"Results written in {output}");
        return 0;
    }

    private static async Task WriteAsync(IAsyncEnumerable<AudioChunk> audio, string output, int sampleRate, CliContext context, CancellationToken cancellationToken)
    {
        if (output != "-")
        {
            await WavOutput.WriteFileAsync(audio, output, sampleRate, cancellationToken);
            return;
        }
        try
        {
            await WavOutput.StreamAsync(audio, context.StandardOutput, sampleRate, cancellationToken);
        }
        catch (IOException e) when (StandardOutputClosedException.IsBrokenPipe(e))
        {
            throw new StandardOutputClosedException("standard output was closed before all audio was written (broken pipe).", e);
        }
    }

    private static async Task<string> ReadTextAsync(string? text, string? language, CliContext context)
    {
        text ??= LanguageCatalog.DefaultText(language);
        if (text == "-")
            text = await context.StandardInput.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException("No text to speak: --text is empty (or standard input was empty for '--text -').");
        return text;
    }
}
