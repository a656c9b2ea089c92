using System.Buffers.Binary;
using System.Diagnostics;

namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>Independent decoders for checking what the server sends.</summary>
public static class AudioDecoding
{
    /// <summary>16-bit little-endian PCM to shorts.</summary>
    public static short[] Pcm16(ReadOnlySpan<byte> bytes)
    {
        (bytes.Length % 2).ShouldBe(0, "PCM has whole 16-bit samples");
        var samples = new short[bytes.Length / 2];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]);
        return samples;
    }

    /// <summary>The reference conversion of float samples to 16-bit (the reference's clamp · 32767, truncated).</summary>
    public static short[] ToPcm16(float[] samples) => [.. samples.Select(s => (short)(Math.Clamp(s, -1f, 1f) * 32767f))];

    /// <summary>A streamed WAV: checks the 44-byte header (16-bit mono at 24 kHz) and returns the samples.</summary>
    public static short[] Wav(byte[] bytes)
    {
        bytes.Length.ShouldBeGreaterThanOrEqualTo(44);
        System.Text.Encoding.ASCII.GetString(bytes, 0, 4).ShouldBe("RIFF");
        System.Text.Encoding.ASCII.GetString(bytes, 8, 8).ShouldBe("WAVEfmt ");
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)).ShouldBe((ushort)1, "mono");
        BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)).ShouldBe(24000);
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)).ShouldBe((ushort)16);
        System.Text.Encoding.ASCII.GetString(bytes, 36, 4).ShouldBe("data");
        return Pcm16(bytes.AsSpan(44));
    }

    /// <summary>Decodes any format ffmpeg reads into 24 kHz mono 16-bit samples.</summary>
    public static async Task<short[]> FfmpegAsync(byte[] encoded, string inputFormat)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["-hide_banner", "-loglevel", "error", "-f", inputFormat, "-i", "pipe:0", "-f", "s16le", "-ar", "24000", "-ac", "1", "pipe:1"])
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.StandardInput.BaseStream.WriteAsync(encoded);
        process.StandardInput.Close();
        await copy;
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await errors);
        return Pcm16(output.ToArray());
    }

    /// <summary>Pearson correlation, to check lossy audio still carries the signal.</summary>
    public static double Correlation(short[] a, short[] b, int offset = 0)
    {
        int n = Math.Min(a.Length, b.Length - offset);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i + offset]; }
        ma /= n; mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double x = a[i] - ma, y = b[i + offset] - mb;
            sab += x * y; saa += x * x; sbb += y * y;
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
