using PocketTts.IO;

namespace PocketTts.Audio;

/// <summary>
/// Reads a voice prompt from a WAV or MP3 file as mono float samples. The format is recognised by content (a
/// RIFF/WAVE header; an ID3 tag or an MPEG audio frame header), not by the file name, so uploads and URLs
/// without an extension work. Thread-safe (no shared state).
/// </summary>
public static class AudioFileReader
{
    /// <summary>What the reader accepts, for error messages.</summary>
    public const string Accepted = "Accepted audio: WAV (PCM 8/16/24/32-bit integer, IEEE float 32/64-bit, any channel count) and MP3.";

    /// <summary>The largest audio file read (256 MiB, over ten minutes of 48 kHz stereo float): a voice prompt needs seconds.</summary>
    public const int MaxFileBytes = 256 << 20;

    /// <summary>Reads a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is neither a readable WAV nor MP3 file, not a regular file, or larger
    /// than <see cref="MaxFileBytes"/>; the message says why.</exception>
    public static AudioClip Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Audio file not found: {path}", path);
        return Read(InputFile.ReadAllBytes(path, MaxFileBytes, "voice audio"), path);
    }

    /// <summary>Reads audio from a stream (to its end; the stream is left open).</summary>
    /// <param name="stream">The audio, e.g. an HTTP upload.</param>
    /// <param name="name">Names the audio in error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are neither a readable WAV nor MP3 file.</exception>
    public static AudioClip Read(Stream stream, string name = "<audio>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.GetBuffer().AsSpan(0, (int)copy.Length).ToArray(), name);
    }

    /// <summary>Reads audio bytes (WAV or MP3).</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="name">Names the audio in error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are neither a readable WAV nor MP3 file.</exception>
    public static AudioClip Read(byte[] bytes, string name = "<audio>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
            throw new InvalidDataException($"{name}: the audio file is empty. {Accepted}");
        if (IsWav(bytes))
            return WavReader.Read(bytes, name);
        if (Mp3Reader.LooksLikeMp3(bytes))
            return Mp3Reader.Read(bytes, name);
        throw new InvalidDataException($"{name}: unrecognised audio format (neither a RIFF/WAVE header nor MP3 data). {Accepted}");
    }

    /// <summary>Whether the file's bytes are of a format this reader decodes (WAV or MP3), judged as <see cref="Read(byte[], string)"/> does.</summary>
    public static bool Recognises(ReadOnlySpan<byte> bytes) => IsWav(bytes) || Mp3Reader.LooksLikeMp3(bytes);

    private static bool IsWav(ReadOnlySpan<byte> bytes) => bytes.StartsWith("RIFF"u8) || bytes.StartsWith("RF64"u8);
}
