using System.CommandLine;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;

namespace PocketTts.Host.Cli;

/// <summary>
/// Options of the text side of a generation, shared by <c>generate</c> and <c>serve</c>: pause lengths, natural
/// pauses and normalisation. Lengths are whole milliseconds.
/// </summary>
internal static class TextCliOptions
{
    private static readonly PauseOptions Defaults = new();

    public static readonly Option<bool> NoNormalize = new("--no-normalize")
    {
        Description = "Speak the text as written: do not spell out numbers, currency, times, units and abbreviations (on by default, in the model's language).",
    };

    public static readonly Option<string?> NormalizeLanguage = new("--normalize-language")
    {
        Description = "Normalise the text as this language (english, french, german, italian, portuguese, spanish, dutch) instead of the model's language; needed to normalise with --config, whose model has no language.",
        HelpName = "language",
    };

    public static readonly Option<bool> NaturalPauses = new("--natural-pauses")
    {
        Description = "Add short silences at commas, sentence ends and ellipses (lengths below). Off by default: the text is then chunked as the reference chunks it, and only [pause] and <break/> markers make silence.",
    };

    public static readonly Option<int?> CommaPause = LengthOption("--comma-pause-ms", "Silence after a comma, semicolon or colon", Defaults.CommaPause);

    public static readonly Option<int?> SentencePause = LengthOption("--sentence-pause-ms", "Silence after a sentence end (. ! ?)", Defaults.SentencePause);

    public static readonly Option<int?> EllipsisPause = LengthOption("--ellipsis-pause-ms", "Silence after an ellipsis (...)", Defaults.EllipsisPause);

    public static readonly Option<int?> DefaultPause = LengthOption("--pause-ms", "Length of a bare [pause] marker", Defaults.DefaultPause);

    public static readonly Option<int?> MaxPause = LengthOption("--max-pause-ms", "Longest pause; longer markers are clamped to it", Defaults.MaxPause);

    /// <summary>Every option, in the order help lists them.</summary>
    public static IEnumerable<Option> All => [NoNormalize, NormalizeLanguage, NaturalPauses, CommaPause, SentencePause, EllipsisPause, DefaultPause, MaxPause];

    /// <summary>The pause lengths given on the command line, validated.</summary>
    /// <exception cref="UsageException">A length is out of range.</exception>
    public static PauseOptions ReadPauses(ParseResult parse)
    {
        var options = new PauseOptions
        {
            NaturalPauses = parse.GetValue(NaturalPauses),
            CommaPause = Read(parse, CommaPause, Defaults.CommaPause),
            SentencePause = Read(parse, SentencePause, Defaults.SentencePause),
            EllipsisPause = Read(parse, EllipsisPause, Defaults.EllipsisPause),
            DefaultPause = Read(parse, DefaultPause, Defaults.DefaultPause),
            MaxPause = Read(parse, MaxPause, Defaults.MaxPause),
        };
        try
        {
            options.Validate();
        }
        catch (InvalidInputException e)
        {
            throw new UsageException(CliErrors.Describe(e), e);
        }
        return options;
    }

    /// <summary>
    /// The normaliser to use: pass-through with <c>--no-normalize</c>, the language of <c>--normalize-language</c>,
    /// otherwise null (the model's language).
    /// </summary>
    /// <exception cref="UsageException">The language is unknown, or both options are given.</exception>
    public static ITextNormalizer? ReadNormalizer(ParseResult parse)
    {
        string? language = parse.GetValue(NormalizeLanguage);
        if (parse.GetValue(NoNormalize))
        {
            return language is null ? TextNormalizers.PassThrough
                : throw new UsageException("--no-normalize and --normalize-language are exclusive: give one or the other.");
        }
        try
        {
            return language is null ? null : TextNormalizers.For(language);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--normalize-language: " + e.Message.Split(" (Parameter")[0]);
        }
    }

    private static Option<int?> LengthOption(string name, string what, TimeSpan defaultLength) =>
        new(name) { Description = $"{what}, in milliseconds (default {defaultLength.TotalMilliseconds:0}).", HelpName = "ms" };

    private static TimeSpan Read(ParseResult parse, Option<int?> option, TimeSpan defaultLength) =>
        parse.GetValue(option) is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : defaultLength;
}
