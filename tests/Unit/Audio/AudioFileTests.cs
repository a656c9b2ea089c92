using System.Buffers.Binary;
using PocketTts.Audio;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Audio;

public class AudioFileTests
{
    private static byte[] Wav(ushort format, ushort channels, int rate, ushort bits, byte[] data, bool extensible = false)
    {
        int fmtSize = extensible ? 40 : 16;
        var b = new byte[12 + 8 + fmtSize + 8 + data.Length];
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), b.Length - 8);
        "WAVEfmt "u8.CopyTo(b.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), fmtSize);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(20), extensible ? (ushort)0xFFFE : format);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(22), channels);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), rate);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(34), bits);
        if (extensible)
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(20 + 24), format);
        int data0 = 20 + fmtSize;
        "data"u8.CopyTo(b.AsSpan(data0));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(data0 + 4), data.Length);
        data.CopyTo(b, data0 + 8);
        return b;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Integer_pcm_is_scaled_by_two_to_the_bits_minus_one(int bits)
    {
        int bytes = bits / 8;
        var data = new byte[2 * bytes];
        if (bits == 8)
        {
            data[0] = 192; // +0.5
            data[1] = 64;  // -0.5
        }
        else
        {
            long half = 1L << (bits - 2);
            for (int i = 0; i < bytes; i++)
            {
                data[i] = (byte)(half >> (8 * i));
                data[bytes + i] = (byte)(-half >> (8 * i));
            }
        }
        AudioClip clip = WavReader.Read(Wav(1, 1, 16000, (ushort)bits, data));
        clip.SampleRate.ShouldBe(16000);
        clip.Samples.ShouldBe([0.5f, -0.5f]);
    }

    [Fact]
    public void Float_and_extensible_and_multichannel_files_are_averaged_to_mono()
    {
        byte[] stereo = [.. BitConverter.GetBytes(0.25f), .. BitConverter.GetBytes(0.75f), .. BitConverter.GetBytes(-1f), .. BitConverter.GetBytes(0f)];
        WavReader.Read(Wav(3, 2, 24000, 32, stereo)).Samples.ShouldBe([0.5f, -0.5f]);
        WavReader.Read(Wav(3, 2, 24000, 32, stereo, extensible: true)).Samples.ShouldBe([0.5f, -0.5f]);
        byte[] f64 = [.. BitConverter.GetBytes(0.125), .. BitConverter.GetBytes(-0.125)];
        WavReader.Read(Wav(3, 1, 8000, 64, f64)).Samples.ShouldBe([0.125f, -0.125f]);
    }

    [Fact]
    public async Task Writing_then_reading_round_trips_within_one_pcm_step()
    {
        float[] samples = [.. Enumerable.Range(0, 5000).Select(i => MathF.Sin(i * 0.01f) * 0.8f)];
        using var stream = new MemoryStream();
        var writer = new WavWriter(stream, 24000);
        await writer.WriteAsync(samples);
        await writer.CompleteAsync();
        AudioClip clip = WavReader.Read(stream.ToArray());
        clip.SampleRate.ShouldBe(24000);
        clip.Samples.Length.ShouldBe(samples.Length);
        for (int i = 0; i < samples.Length; i++)
            MathF.Abs(clip.Samples[i] - samples[i]).ShouldBeLessThan(1f / 16000);
        BinaryPrimitives.ReadUInt32LittleEndian(stream.ToArray().AsSpan(40)).ShouldBe((uint)(2 * samples.Length));
    }

    [Fact]
    public void Pcm_conversion_clips_and_truncates_like_the_reference()
    {
        var bytes = new byte[8];
        WavWriter.ToPcm16([1.5f, -2f, 0.5f, -0.00002f], bytes);
        BinaryPrimitives.ReadInt16LittleEndian(bytes).ShouldBe((short)32767);
        BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2)).ShouldBe((short)-32767);
        BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(4)).ShouldBe((short)16383);
        BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(6)).ShouldBe((short)0);
    }

    [Fact]
    public async Task A_non_seekable_stream_gets_a_streaming_header_read_to_the_end()
    {
        var sink = new MemoryStream();
        using var pipe = new NonSeekable(sink);
        var writer = new WavWriter(pipe, 24000);
        await writer.WriteAsync(new float[100]);
        await writer.CompleteAsync();
        BinaryPrimitives.ReadUInt32LittleEndian(sink.ToArray().AsSpan(40)).ShouldBeGreaterThan(1_000_000_000u);
        WavReader.Read(sink.ToArray()).Samples.Length.ShouldBe(100);
    }

    [Fact]
    public void The_repository_reference_voice_and_an_mp3_decode()
    {
        AudioClip wav = AudioFileReader.Read(Path.Combine(RepoPaths.Root, "ref.wav"));
        wav.SampleRate.ShouldBe(24000);
        wav.Duration.TotalSeconds.ShouldBeInRange(5, 10);
        AudioClip mp3 = AudioFileReader.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "hello.mp3"));
        mp3.SampleRate.ShouldBe(16000);
        mp3.Duration.TotalSeconds.ShouldBeInRange(1.4, 1.7);
        mp3.Samples.Max(MathF.Abs).ShouldBeGreaterThan(0.05f, "the decoded speech is not silence");
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, "unrecognised audio format")]
    public void Unreadable_audio_is_rejected_with_the_accepted_formats(byte[] bytes, string expected)
    {
        Should.Throw<InvalidDataException>(() => AudioFileReader.Read(bytes, "x.wav")).Message.ShouldContain(expected);
    }

    [Fact]
    public void Corrupt_wav_files_are_rejected_with_the_reason()
    {
        Should.Throw<InvalidDataException>(() => WavReader.Read(Wav(2, 1, 8000, 4, new byte[4]))).Message.ShouldContain("unsupported WAV encoding");
        Should.Throw<InvalidDataException>(() => WavReader.Read(Wav(1, 0, 8000, 16, new byte[4]))).Message.ShouldContain("0 channels");
        Should.Throw<InvalidDataException>(() => WavReader.Read(Wav(1, 1, 8000, 16, new byte[4]).AsSpan(0, 30))).Message.ShouldContain("truncated");
        Should.Throw<InvalidDataException>(() => WavReader.Read("RIFF\0\0\0\0WAVE"u8)).Message.ShouldContain("no format chunk");
        Should.Throw<FileNotFoundException>(() => AudioFileReader.Read("/nonexistent.wav"));
    }

    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
