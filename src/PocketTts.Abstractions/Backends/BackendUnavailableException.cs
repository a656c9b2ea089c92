namespace PocketTts.Backends;

/// <summary>Thrown when a backend is asked for but cannot run on this machine.</summary>
public sealed class BackendUnavailableException : UnsupportedException
{
    /// <summary>Creates the exception with the default message.</summary>
    public BackendUnavailableException() : base("The backend is not available on this machine.") { }

    /// <summary>Creates the exception with a message that says what is missing.</summary>
    public BackendUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public BackendUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
