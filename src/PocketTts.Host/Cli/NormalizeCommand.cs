using System.CommandLine;
using System.Globalization;
using PocketTts.Config;
using PocketTts.Hub;
using PocketTts.Text;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;
using PocketTts.Tokenizer;

namespace PocketTts.Host.Cli;

/// <summary>
/// <c>pocket-tts normalize</c>: the text as the model will read it, through the same steps as generation (pause
/// markers, normalisation, natural pauses, the reference's prompt preparation), so a user can see why a word is
/// pronounced as it is. Needs nothing downloaded; with the model's tokenizer in the cache (or a <c>--config</c>
/// whose tokenizer is a local file) it also shows the chunks generation will speak.
/// </summary>
internal static class NormalizeCommand
{
    private static readonly Argument<string?> Text = new("text")
    {
        Description = "The text; '-' or nothing reads it from standard input.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<int> MaxTokens = new Option<int>("--max-tokens") { Description = "Maximum tokens per text chunk, as for generate.", DefaultValueFactory = _ => 50 }.AtLeast(1);

    public static Command Create(CliContext context)
    {
        var command = new Command("normalize", """
            Print the text exactly as the model will read it: after pause markers, normalisation
            (numbers, currency, times, dates, units, abbreviations in the model's language) and the
            reference's prompt preparation. One line per piece of speech, '[pause N ms]' for each
            silence; when the model's tokenizer is cached (or --config names a local one), one line
            per chunk follows, with its token count. Nothing is downloaded.

            Examples:
              pocket-tts normalize --language french_24l "Le 1er mai à 10h30, ça coûte 3,50 €."
              echo "Dr. Smith paid \$12.50" | pocket-tts normalize
              pocket-tts normalize --config model.yaml --normalize-language german "am 3. Mai"
            """);
        command.Arguments.Add(Text);
        foreach (Option option in new Option[] { ModelCliOptions.Language, ModelCliOptions.Config, MaxTokens }.Concat(TextCliOptions.All))
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(() => RunAsync(parse, context), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliContext context)
    {
        (ModelConfig config, string? language) = ReadModel(parse.GetValue(ModelCliOptions.Language), parse.GetValue(ModelCliOptions.Config));
        ITextNormalizer normalizer = TextCliOptions.ReadNormalizer(parse)
            ?? (language is null ? TextNormalizers.PassThrough : TextNormalizers.For(language));
        PauseOptions pauses = TextCliOptions.ReadPauses(parse);
        string text = parse.GetValue(Text) is { } given and not "-" ? given : await context.StandardInput.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException("No text to normalise: give it as an argument or on standard input.");

        TextRules rules = TextRules.For(config);
        IReadOnlyList<TextSegment> segments = TextSegmenter.Segment(text, normalizer, pauses);
        foreach (TextSegment segment in segments)
            await context.Output.WriteLineAsync(Line(segment, rules));

        if (FindTokenizer(config, context) is not { } tokenizer)
            return 0;
        int number = 0;
        foreach (SpeechSegment speech in segments.OfType<SpeechSegment>())
        {
            foreach (string chunk in SentenceSplitter.Split(tokenizer, speech.Text, parse.GetValue(MaxTokens), rules))
            {
                string prepared = TextPrompt.Prepare(chunk, rules).Text;
                await context.Output.WriteLineAsync($"chunk {++number} ({tokenizer.Encode(prepared).Length} tokens): {prepared}");
            }
        }
        return 0;
    }

    /// <summary>The configuration of <c>--language</c> (default english) or <c>--config</c>, and the language to normalise in (none for a file).</summary>
    private static (ModelConfig Config, string? Language) ReadModel(string? language, string? configFile)
    {
        if (language is not null && configFile is not null)
            throw new UsageException("--language and --config cannot be used together: a configuration file already names its model.");
        if (configFile is not null)
            return (ModelConfigLoader.LoadFile(configFile), null);
        language ??= LanguageCatalog.DefaultLanguage;
        try
        {
            return (ModelConfigLoader.LoadLanguage(language), language);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--language: " + e.Message.Split(" (Parameter")[0], e);
        }
    }

    private static string Line(TextSegment segment, TextRules rules) => segment switch
    {
        PauseSegment pause => string.Create(CultureInfo.InvariantCulture, $"[pause {pause.Duration.TotalMilliseconds:0.###} ms]"),
        SpeechSegment speech => TextPrompt.Prepare(speech.Text, rules).Text,
        _ => throw new ArgumentException($"Unknown segment {segment.GetType().Name}.", nameof(segment)),
    };

    /// <summary>The model's tokenizer when it is on this machine: a local file, or a Hub file already in the cache.</summary>
    private static SentencePieceTokenizer? FindTokenizer(ModelConfig config, CliContext context)
    {
        ModelFileReferences references = ModelFileReferences.FromConfig(config);
        string? path = ModelFileReference.Parse(references.Tokenizer, references.BaseDirectory) switch
        {
            ModelFileReference.LocalFile local when File.Exists(local.FullPath) => local.FullPath,
            ModelFileReference.HubFile hub => CachedPath(hub.Path, context),
            _ => null,
        };
        return path is null ? null : SentencePieceTokenizer.Load(path);
    }

    private static string? CachedPath(HfPath file, CliContext context)
    {
        using var hub = new HubClient(HubOptions.FromEnvironment(context.GetEnvironment));
        return hub.TryGetCachedPath(file);
    }
}
