using PocketTts.Audio;
using PocketTts.Hub;

namespace PocketTts.Voices;

/// <summary>
/// The <see cref="DownloadPolicy"/> of a voice given by URL (<c>voice_url</c>, <c>--voice https://…</c>): public
/// addresses only unless allowed, at most <see cref="DownloadPolicy.DefaultMaxBytes"/>, and a file is cached only
/// when it decodes as WAV or MP3 audio or reads as an exported voice state. Thread-safe.
/// </summary>
public static class VoiceDownloads
{
    /// <summary>The policy for voice URLs.</summary>
    /// <param name="allowPrivateAddresses">Let URLs reach loopback, private and other non-public addresses.</param>
    /// <param name="maxBytes">The largest voice file accepted, in bytes.</param>
    public static DownloadPolicy Policy(bool allowPrivateAddresses = false, long maxBytes = DownloadPolicy.DefaultMaxBytes) => new()
    {
        AllowPrivateAddresses = allowPrivateAddresses,
        MaxBytes = maxBytes,
        AcceptContent = IsVoiceFile,
    };

    /// <summary>True when the file is an exported voice state, or WAV or MP3 audio that decodes.</summary>
    public static bool IsVoiceFile(string path)
    {
        try
        {
            if (IsSafetensors(path))
                VoiceStateFile.Read(path);
            else
                AudioFileReader.Read(path);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    /// <summary>safetensors begins with an 8-byte header length, then the JSON header's opening brace.</summary>
    private static bool IsSafetensors(string path)
    {
        Span<byte> start = stackalloc byte[9];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start[8] == (byte)'{';
    }
}
