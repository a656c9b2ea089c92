using Spectre.Console;

namespace PocketTts.Host.Cli;

/// <summary>
/// A live status line on standard error while long work runs, and a summary line when it ends — only for a person
/// at a terminal: nothing with <c>-q</c>, nothing when standard error is a pipe or a file (logs get no control
/// characters), and never anything on standard output, which may carry the audio.
/// </summary>
internal static class TerminalStatus
{
    /// <summary>Whether to show progress: not quiet, and standard error is a terminal.</summary>
    public static bool Shows(bool quiet, bool errorIsTerminal) => !quiet && errorIsTerminal;

    /// <summary>Whether <paramref name="error"/> is this process's standard error and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>
    /// Runs <paramref name="work"/>, which reports its progress through the action it is given; when progress is
    /// shown, a spinner line follows the reports and <paramref name="summary"/> is printed at the end.
    /// </summary>
    public static async Task<T> RunAsync<T>(TextWriter error, bool quiet, string initial, Func<Action<string>, Task<T>> work, Func<T, string> summary)
    {
        if (!Shows(quiet, IsTerminal(error)))
            return await work(_ => { });
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = await console.Status().StartAsync(Markup.Escape(initial), context => work(status => context.Status(Markup.Escape(status))));
        await error.WriteLineAsync(summary(result));
        return result;
    }
}
