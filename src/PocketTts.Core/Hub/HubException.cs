namespace PocketTts.Hub;

/// <summary>Why a download failed.</summary>
public enum HubErrorKind
{
    /// <summary>The server answered with an unexpected HTTP status (see <see cref="HubException.StatusCode"/>).</summary>
    Http,

    /// <summary>The server refused access (HTTP 401 or 403): a gated or private repository, or a bad token.</summary>
    AccessDenied,

    /// <summary>The repository, revision or file does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The server could not be reached, or the transfer broke off and could not be resumed.</summary>
    Network,

    /// <summary>The file is not cached and offline mode forbids the network.</summary>
    Offline,

    /// <summary>The downloaded bytes do not match the size or checksum the server announced.</summary>
    Integrity,

    /// <summary>The URL, or a redirect, leads where a <see cref="DownloadPolicy"/> forbids: another scheme than
    /// http(s), an https-to-http downgrade, or a non-public address.</summary>
    Refused,

    /// <summary>The file is larger than the <see cref="DownloadPolicy"/> allows.</summary>
    TooLarge,

    /// <summary>The file is not what the <see cref="DownloadPolicy"/> accepts (for a voice: audio or a voice state).</summary>
    InvalidContent,
}

/// <summary>A download that failed; the message says what was asked for, what went wrong and what to do.</summary>
public sealed class HubException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public HubException() : this("The download failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    public HubException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public HubException(string message, Exception innerException) : base(message, innerException) { }

    internal HubException(HubErrorKind kind, string message, Uri? url = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Url = url;
        StatusCode = statusCode;
    }

    /// <summary>Why the download failed.</summary>
    public HubErrorKind Kind { get; }

    /// <summary>The HTTP status the server answered with, or null when there was no answer.</summary>
    public int? StatusCode { get; }

    /// <summary>The URL that failed, or null when no request was made.</summary>
    public Uri? Url { get; }
}
