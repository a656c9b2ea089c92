using PocketTts.Config;

namespace PocketTts.Text;

/// <summary>
/// How a model's text is prepared and split (<see cref="TextPrompt.Prepare(string, TextRules)"/>,
/// <see cref="SentenceSplitter"/>): the configuration's flags applied with the reference's rules (upstream 3.x: a
/// sentence mark ensured at the end, no sentence cut after the period of a decimal number).
/// </summary>
/// <param name="PadWithSpaces">The configuration's <c>pad_with_spaces_for_short_inputs</c>.</param>
/// <param name="RemoveSemicolons">The configuration's <c>remove_semicolons</c>.</param>
public sealed record TextRules(bool PadWithSpaces, bool RemoveSemicolons)
{
    /// <summary>Upper-case the first character (<c>capitalize_first_letter</c>).</summary>
    public bool CapitalizeFirstLetter { get; init; } = true;

    /// <summary>Make sure the text ends with a sentence mark (<c>append_terminal_punctuation</c>).</summary>
    public bool AppendTerminalPunctuation { get; init; } = true;

    /// <summary>
    /// <c>replace_characters</c>, in the configuration's order: each key replaced by its value before anything
    /// else; when there is any, whitespace is then collapsed and a comma, semicolon or colon after a sentence mark
    /// dropped (a removed closing quote leaves <c>"Hallo!", zei</c> as <c>Hallo!, zei</c>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ReplaceCharacters { get; init; } = [];

    /// <summary>The rules <paramref name="config"/> asks for.</summary>
    public static TextRules For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.PadWithSpacesForShortInputs, config.RemoveSemicolons)
        {
            CapitalizeFirstLetter = config.CapitalizeFirstLetter,
            AppendTerminalPunctuation = config.AppendTerminalPunctuation,
            ReplaceCharacters = [.. config.ReplaceCharacters],
        };
    }
}
