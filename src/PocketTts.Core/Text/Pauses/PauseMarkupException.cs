namespace PocketTts.Text.Pauses;

/// <summary>
/// A pause marker that could not be read, such as <c>[pause:fast]</c> or <c>&lt;break time="-1s"/&gt;</c>. The message
/// quotes the marker, gives its line and column, says what is wrong and lists the accepted forms.
/// </summary>
public sealed class PauseMarkupException : InvalidInputException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PauseMarkupException() : this("Malformed pause marker.") { }

    /// <summary>Creates the exception with a message.</summary>
    public PauseMarkupException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public PauseMarkupException(string message, Exception innerException) : base(message, innerException) { }

    internal PauseMarkupException(string message, string marker, int index) : base(message)
    {
        Marker = marker;
        Index = index;
    }

    /// <summary>The malformed marker as written (up to its closing bracket, or a short excerpt when it has none).</summary>
    public string Marker { get; } = "";

    /// <summary>Zero-based index of the marker's first character in the text.</summary>
    public int Index { get; }
}
