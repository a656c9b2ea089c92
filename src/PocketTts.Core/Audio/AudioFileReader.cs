using NLayer;

namespace PocketTts.Audio;

/// <summary>Reads a voice prompt from a WAV or MP3 file, recognised by content, as mono float samples.</summary>
public static class AudioFileReader
{
    /// <summary>Reads a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is neither a readable WAV nor MP3 file.</exception>
    public static AudioClip Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Audio file not found: {path}", path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads audio bytes (WAV or MP3).</summary>
    /// <exception cref="InvalidDataException">The bytes are neither a readable WAV nor MP3 file.</exception>
    public static AudioClip Read(byte[] bytes, string name = "<audio>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
            throw new InvalidDataException($"{name}: the audio file is empty.");
        if (WavReader.IsWav(bytes))
            return WavReader.Read(bytes, name);
        if (LooksLikeMp3(bytes))
            return ReadMp3(bytes, name);
        throw new InvalidDataException($"{name}: unrecognised audio format. Accepted audio: WAV (PCM 8/16/24/32-bit, float 32/64-bit) and MP3.");
    }

    private static bool LooksLikeMp3(ReadOnlySpan<byte> b) =>
        (b.Length >= 3 && b[..3].SequenceEqual("ID3"u8)) || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0);

    private static AudioClip ReadMp3(byte[] bytes, string name)
    {
        try
        {
            using var mpeg = new MpegFile(new MemoryStream(bytes, writable: false));
            int channels = mpeg.Channels;
            var interleaved = new List<float>();
            var buffer = new float[8192];
            int read;
            while ((read = mpeg.ReadSamples(buffer, 0, buffer.Length)) > 0)
                interleaved.AddRange(buffer.AsSpan(0, read));
            if (interleaved.Count == 0)
                throw new InvalidDataException($"{name}: the MP3 file holds no audio frames.");
            var mono = new float[interleaved.Count / channels];
            for (int f = 0; f < mono.Length; f++)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++)
                    sum += interleaved[f * channels + c];
                mono[f] = sum / channels;
            }
            return new AudioClip(mono, mpeg.SampleRate);
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"{name}: the MP3 file could not be decoded: {e.Message}", e);
        }
    }
}
