using NLayer;

namespace PocketTts.Audio;

/// <summary>
/// Decodes MP3 (MPEG-1/2/2.5 layer I–III) with NLayer into mono float samples, channels averaged in float32 as
/// the reference does with the samples soundfile gives it. Decoders differ in the last bits of their output, so
/// the samples are close to, not identical with, the reference's.
/// </summary>
internal static class Mp3Reader
{
    /// <summary>
    /// True when the bytes start with an ID3v2 tag or an MPEG audio frame header: 11 sync bits, then a version,
    /// layer, bitrate and sample-rate index that are not the reserved values.
    /// </summary>
    public static bool LooksLikeMp3(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith("ID3"u8))
            return true;
        if (b.Length < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0)
            return false;
        int version = (b[1] >> 3) & 3, layer = (b[1] >> 1) & 3, bitrate = b[2] >> 4, rate = (b[2] >> 2) & 3;
        return version != 1 && layer != 0 && bitrate != 15 && rate != 3;
    }

    /// <summary>Decodes a whole MP3 file.</summary>
    /// <exception cref="InvalidDataException">No audio frames could be decoded.</exception>
    public static AudioClip Read(byte[] bytes, string name)
    {
        float[] interleaved;
        int channels, sampleRate;
        try
        {
            using var mpeg = new MpegFile(new MemoryStream(bytes, writable: false));
            interleaved = ReadAll(mpeg);
            (channels, sampleRate) = (mpeg.Channels, mpeg.SampleRate);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // NLayer throws several exception types for data it cannot decode, IndexOutOfRangeException among them, whose
            // messages ("Index was outside the bounds of the array") say nothing to a user: the inner exception keeps them.
            throw new InvalidDataException($"{name}: not a valid MP3 file (its audio frames could not be decoded). {AudioFileReader.Accepted}", e);
        }
        if (channels <= 0 || sampleRate <= 0 || interleaved.Length < channels)
            throw new InvalidDataException($"{name}: the MP3 data holds no decodable audio frames. {AudioFileReader.Accepted}");
        return new AudioClip(ToMono(interleaved, channels), sampleRate);
    }

    private static float[] ReadAll(MpegFile mpeg)
    {
        var samples = new float[1 << 16];
        int count = 0, read;
        while ((read = mpeg.ReadSamples(samples, count, samples.Length - count)) > 0)
        {
            count += read;
            if (count == samples.Length)
                Array.Resize(ref samples, 2 * samples.Length);
        }
        Array.Resize(ref samples, count);
        return samples;
    }

    private static float[] ToMono(float[] interleaved, int channels)
    {
        if (channels == 1)
            return interleaved;
        var mono = new float[interleaved.Length / channels];
        for (int f = 0; f < mono.Length; f++)
        {
            float sum = 0;
            for (int c = 0; c < channels; c++)
                sum += interleaved[f * channels + c];
            mono[f] = sum / channels;
        }
        return mono;
    }
}
