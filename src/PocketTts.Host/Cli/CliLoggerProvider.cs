using Microsoft.Extensions.Logging;

namespace PocketTts.Host.Cli;

/// <summary>Plain log lines on standard error ("warning: …"), so the CLI's output stays readable and stdout stays audio.</summary>
internal sealed class CliLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CliLogger(writer, minimum);

    public void Dispose()
    {
    }

    private sealed class CliLogger(TextWriter writer, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            string prefix = logLevel switch
            {
                LogLevel.Warning => "warning: ",
                LogLevel.Error or LogLevel.Critical => "error: ",
                _ => "",
            };
            lock (writer)
                writer.WriteLine(prefix + formatter(state, exception));
        }
    }
}
