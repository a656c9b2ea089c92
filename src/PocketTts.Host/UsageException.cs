namespace PocketTts.Host;

/// <summary>A failure the user caused and can fix (bad option, missing file): reported as one line, without a stack trace.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message) : base(message)
    {
    }

    public UsageException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
