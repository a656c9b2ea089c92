using PocketTts.Backends;
using PocketTts.Config;

namespace PocketTts.Text;

/// <summary>
/// How a model's text is prepared and split (<see cref="TextPrompt.Prepare(string, TextRules)"/>,
/// <see cref="SentenceSplitter"/>): the configuration's flags, and the rules of the reference release the model follows.
/// </summary>
/// <param name="PadWithSpaces">The configuration's <c>pad_with_spaces_for_short_inputs</c>.</param>
/// <param name="RemoveSemicolons">The configuration's <c>remove_semicolons</c>.</param>
internal sealed record TextRules(bool PadWithSpaces, bool RemoveSemicolons)
{
    /// <summary>Upper-case the first character (3.x <c>capitalize_first_letter</c>; always in 2.x).</summary>
    public bool CapitalizeFirstLetter { get; init; } = true;

    /// <summary>What is done to the end of the text.</summary>
    public TerminalPunctuation TerminalPunctuation { get; init; } = TerminalPunctuation.AfterLetterOrDigit;

    /// <summary>
    /// Whether a period between two digits may end a sentence when splitting: it did in 2.x ("3. 5" and "3.5" both
    /// cut); since 3.x a segment that would start with a digit right after "digit." is not cut (upstream #217).
    /// </summary>
    public bool DecimalPointsEndSentences { get; init; } = true;

    /// <summary>
    /// 3.x <c>replace_characters</c>, in the configuration's order: each key replaced by its value before anything
    /// else; when there is any, whitespace is then collapsed and a comma, semicolon or colon after a sentence mark
    /// dropped (a removed closing quote leaves <c>"Hallo!", zei</c> as <c>Hallo!, zei</c>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ReplaceCharacters { get; init; } = [];

    /// <summary>The rules of pocket-tts 2.x: always capitalise, a period after a final letter or digit.</summary>
    public static TextRules Before3(bool padWithSpaces, bool removeSemicolons) => new(padWithSpaces, removeSemicolons);

    /// <summary>The rules <paramref name="config"/> asks for, under the numerics it follows.</summary>
    public static TextRules For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Numerics == ReferenceNumerics.Before3)
            return Before3(config.PadWithSpacesForShortInputs, config.RemoveSemicolons);
        return new(config.PadWithSpacesForShortInputs, config.RemoveSemicolons)
        {
            CapitalizeFirstLetter = config.CapitalizeFirstLetter,
            TerminalPunctuation = config.AppendTerminalPunctuation ? TerminalPunctuation.Ensure : TerminalPunctuation.None,
            DecimalPointsEndSentences = false,
            ReplaceCharacters = [.. config.ReplaceCharacters],
        };
    }
}

/// <summary>What text preparation does to the end of a text.</summary>
internal enum TerminalPunctuation
{
    /// <summary>Nothing (3.x with <c>append_terminal_punctuation: false</c>).</summary>
    None,

    /// <summary>A period after a final letter or digit (2.x).</summary>
    AfterLetterOrDigit,

    /// <summary>
    /// 3.x: a text ending in <c>. ! ? …</c> (closing quotes and brackets after it allowed) is kept; a final comma,
    /// semicolon, colon or dash becomes a period (before the closers); anything else gets a period at the very end.
    /// </summary>
    Ensure,
}
