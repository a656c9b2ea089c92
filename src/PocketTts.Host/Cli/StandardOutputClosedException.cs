namespace PocketTts.Host.Cli;

/// <summary>
/// Standard output went away while audio was written to it (<c>--output-path - | head -c100</c>): the reader closed
/// the pipe. Reported as one line with exit code 141, what a shell shows for a program ended by SIGPIPE, so that
/// <c>set -o pipefail</c> scripts see the audio was cut.
/// </summary>
internal sealed class StandardOutputClosedException : IOException
{
    /// <summary>128 + SIGPIPE (13).</summary>
    public const int ExitCode = 141;

    // EPIPE on Linux and macOS; .NET puts the errno of a failed write in HResult.
    private const int BrokenPipe = 32;

    public StandardOutputClosedException()
        : base("standard output was closed before all audio was written (broken pipe).")
    {
    }

    public StandardOutputClosedException(string message) : base(message)
    {
    }

    public StandardOutputClosedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Whether a failed write to standard output means its reader is gone.</summary>
    public static bool IsBrokenPipe(IOException e) => e.HResult == BrokenPipe;
}
