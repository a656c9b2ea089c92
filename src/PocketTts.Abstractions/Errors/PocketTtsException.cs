namespace PocketTts;

/// <summary>
/// A failure caused by what the caller gave (a value, a name, a file, a request size), as opposed to a bug or a
/// broken machine. Its kind is its type — <see cref="InvalidInputException"/>, <see cref="NotFoundException"/>,
/// <see cref="UnsupportedException"/>, <see cref="LimitExceededException"/> — so a caller maps it to an exit code or an
/// HTTP status without reading the message. <see cref="Subject"/> names what was wrong as the library names it (an
/// option property such as <c>Temperature</c>, <c>voice</c>, <c>text</c>), and <see cref="Value"/> quotes the value,
/// so a caller can name it in its own words (a command-line flag, a JSON field). The message is one line (a
/// second may give a hint) that names neither a flag nor a field.
/// </summary>
public abstract class PocketTtsException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    protected PocketTtsException() : this("The input cannot be used.") { }

    /// <summary>Creates the exception with a message.</summary>
    protected PocketTtsException(string message) : base(message) => Reason = message;

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    protected PocketTtsException(string message, Exception innerException) : base(message, innerException) => Reason = message;

    /// <summary>Creates the exception for one value: the message is "<paramref name="subject"/> '<paramref name="value"/>': <paramref name="reason"/>".</summary>
    /// <param name="reason">What is wrong and what is accepted, without naming the subject.</param>
    /// <param name="subject">What the value is for, as the library names it.</param>
    /// <param name="value">The offending value as given, or null when it is not worth quoting (a long text).</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    protected PocketTtsException(string reason, string subject, string? value, Exception? innerException = null)
        : base(Compose(subject, value, reason), innerException)
    {
        Reason = reason;
        Subject = subject;
        Value = value;
    }

    /// <summary>What was wrong as the library names it (e.g. <c>Temperature</c>, <c>voice</c>), or null when the message says it all.</summary>
    public string? Subject { get; }

    /// <summary>The offending value as given, or null.</summary>
    public string? Value { get; }

    /// <summary>The message without the subject and value: what is wrong and what is accepted.</summary>
    public string Reason { get; }

    /// <summary>The message with the subject called <paramref name="name"/>, as a caller names it (a flag, a request field).</summary>
    public string MessageNaming(string name) => Compose(name, Value, Reason);

    private static string Compose(string subject, string? value, string reason) =>
        value is null ? $"{subject}: {reason}" : $"{subject} '{value}': {reason}";
}

/// <summary>A value, text or file the library cannot use: out of range, malformed, or inconsistent with another.</summary>
public class InvalidInputException : PocketTtsException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidInputException() : base("The input is not valid.") { }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidInputException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public InvalidInputException(string message, Exception innerException) : base(message, innerException) { }

    /// <inheritdoc cref="PocketTtsException(string, string, string, Exception)"/>
    public InvalidInputException(string reason, string subject, string? value, Exception? innerException = null) : base(reason, subject, value, innerException) { }
}

/// <summary>Something named that does not exist: a voice, a file, a registered voice id.</summary>
public class NotFoundException : PocketTtsException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public NotFoundException() : base("Not found.") { }

    /// <summary>Creates the exception with a message.</summary>
    public NotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public NotFoundException(string message, Exception innerException) : base(message, innerException) { }

    /// <inheritdoc cref="PocketTtsException(string, string, string, Exception)"/>
    public NotFoundException(string reason, string subject, string? value, Exception? innerException = null) : base(reason, subject, value, innerException) { }
}

/// <summary>
/// A request this build, machine or model cannot serve although it is well formed: an audio format without its
/// encoder, a predefined voice for custom weights, a backend this machine cannot run.
/// </summary>
public class UnsupportedException : PocketTtsException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public UnsupportedException() : base("Not supported.") { }

    /// <summary>Creates the exception with a message.</summary>
    public UnsupportedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public UnsupportedException(string message, Exception innerException) : base(message, innerException) { }

    /// <inheritdoc cref="PocketTtsException(string, string, string, Exception)"/>
    public UnsupportedException(string reason, string subject, string? value, Exception? innerException = null) : base(reason, subject, value, innerException) { }
}

/// <summary>An input larger than a configured limit: text length, upload size, number of registered voices.</summary>
public class LimitExceededException : PocketTtsException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public LimitExceededException() : base("A limit was exceeded.") { }

    /// <summary>Creates the exception with a message.</summary>
    public LimitExceededException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public LimitExceededException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for one input and the limit it exceeded.</summary>
    /// <param name="reason">What is too large and what the limit is, without naming the subject.</param>
    /// <param name="subject">What exceeded it, as the library names it.</param>
    /// <param name="limit">The limit, in the unit the reason names.</param>
    public LimitExceededException(string reason, string subject, long limit) : base(reason, subject, value: null) => Limit = limit;

    /// <summary>The limit that was exceeded, in the unit the message names; 0 when unknown.</summary>
    public long Limit { get; }
}
