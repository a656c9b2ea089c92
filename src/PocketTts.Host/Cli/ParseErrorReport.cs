using System.CommandLine;
using System.CommandLine.Parsing;

namespace PocketTts.Host.Cli;

/// <summary>
/// A command line the parser rejected, told in one line that names the option or word as typed and what is
/// accepted, plus at most one hint line: no help dump, no .NET type names. Only the first mistake is told, since
/// later ones are often its echo (<c>--txt "hi"</c> also leaves <c>hi</c> unmatched).
/// </summary>
internal static class ParseErrorReport
{
    /// <summary>The program's name as users type it (the root command's own name is the test host's in tests).</summary>
    public const string ProgramName = "pocket-tts";

    /// <summary>The error line and, where it helps, a hint line.</summary>
    public static IReadOnlyList<string> Lines(ParseResult parse)
    {
        ParseError first = parse.Errors[0];
        if ((first.SymbolResult as OptionResult ?? first.SymbolResult?.Parent as OptionResult) is { } option)
            return [OptionError(option)];
        CommandResult command = parse.CommandResult;
        string path = CommandPath(command);
        if (parse.UnmatchedTokens.Count > 0)
            return Unmatched(parse.UnmatchedTokens[0], command, path);
        if (command.Command.Subcommands.Count > 0 && command.Command.Action is null)
            return [$"error: '{path}' needs a command: {string.Join(", ", command.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.", HelpHint(path)];
        return [$"error: {first.Message}", HelpHint(path)];
    }

    private static string OptionError(OptionResult option)
    {
        string typed = option.IdentifierToken?.Value ?? option.Option.Name;
        string? accepted = OptionRules.Describe(option.Option);
        return option.Tokens switch
        {
            [] => accepted is null ? $"error: {typed} needs a value." : $"error: {typed} needs a value: {accepted}.",
            [var value] => $"error: {typed} expects {accepted ?? "a value"}, not '{value.Value}'.",
            var values => $"error: {typed} takes one value, got {values.Count}: {string.Join(", ", values.Select(v => $"'{v.Value}'"))}.",
        };
    }

    private static string[] Unmatched(string token, CommandResult command, string path)
    {
        if (token.StartsWith('-'))
        {
            string? option = DidYouMean.Guess(token, OptionNames(command));
            return option is null
                ? [$"error: unknown option '{token}' for '{path}'.", HelpHint(path)]
                : [$"error: unknown option '{token}' for '{path}'; did you mean '{option}'?"];
        }
        if (command.Command.Subcommands.Count > 0)
        {
            string? subcommand = DidYouMean.Guess(token, command.Command.Subcommands.Select(c => c.Name));
            return subcommand is null
                ? [$"error: unknown command '{token}'.", HelpHint(path)]
                : [$"error: unknown command '{token}'; did you mean '{subcommand}'?"];
        }
        return [$"error: unexpected argument '{token}' for '{path}': it takes options only.", "hint: quote a value that has spaces, e.g. --text \"Hello world.\""];
    }

    /// <summary>The options a command accepts: its own and the recursive ones of the commands above it.</summary>
    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? result = command; result is CommandResult current; result = current.Parent)
        {
            foreach (Option option in current.Command.Options.Where(o => !o.Hidden && (current == command || o.Recursive)))
            {
                yield return option.Name;
                foreach (string alias in option.Aliases)
                    yield return alias;
            }
        }
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (CommandResult? current = command; current is not null; current = current.Parent as CommandResult)
            names.Insert(0, current.Parent is null ? ProgramName : current.Command.Name);
        return string.Join(' ', names);
    }

    private static string HelpHint(string path) => $"hint: '{path} --help' lists what it accepts.";
}
