using PocketTts.Audio;
using PocketTts.Tests.Unit.Infrastructure;
using static PocketTts.Tests.Unit.Audio.WavBytes;

namespace PocketTts.Tests.Unit.Audio;

public class AudioFileReaderTests
{
    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static int ZeroCrossings(float[] x)
    {
        int n = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if ((x[i - 1] < 0) != (x[i] < 0))
                n++;
        }
        return n;
    }

    [Fact]
    public void The_repository_reference_voice_decodes()
    {
        AudioClip wav = AudioFileReader.Read(Path.Combine(RepoPaths.Root, "ref.wav"));
        wav.SampleRate.ShouldBe(24000);
        wav.Duration.TotalSeconds.ShouldBeInRange(5, 10);
        wav.Samples.Max(MathF.Abs).ShouldBeGreaterThan(0.05f);
    }

    [Fact]
    public void A_mono_mp3_without_tag_decodes_to_speech_of_the_right_length()
    {
        // hello.mp3: 1.5 s of speech, MPEG-2 layer III at 16 kHz, starting with a frame header.
        AudioClip mp3 = AudioFileReader.Read(TestData("hello.mp3"));
        mp3.SampleRate.ShouldBe(16000);
        mp3.Duration.TotalSeconds.ShouldBeInRange(1.4, 1.7);
        mp3.Samples.Max(MathF.Abs).ShouldBeGreaterThan(0.05f, "the decoded speech is not silence");
    }

    [Fact]
    public void A_stereo_mp3_with_an_id3_tag_is_averaged_to_mono()
    {
        // stereo_left_sine.mp3 (lame, 48 kb/s, ID3v2 tag): 0.5 s of a 440 Hz sine at half scale on the left, silence on the right.
        AudioClip mp3 = AudioFileReader.Read(TestData("stereo_left_sine.mp3"));
        mp3.SampleRate.ShouldBe(22050);
        mp3.Duration.TotalSeconds.ShouldBeInRange(0.5, 0.65);   // the encoder's delay and padding come with it
        float peak = mp3.Samples.Max(MathF.Abs);
        peak.ShouldBeInRange(0.2f, 0.3f, "half of the left channel's 0.5");
        float[] middle = mp3.Samples[(mp3.SampleRate / 10)..(4 * mp3.SampleRate / 10)];
        ZeroCrossings(middle).ShouldBeInRange(254, 274, "440 Hz for 0.3 s crosses zero 264 times");
    }

    [Fact]
    public void The_format_is_recognised_by_content_not_by_name()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wav-named-{Guid.NewGuid():N}.mp3");
        File.WriteAllBytes(path, Wav(Pcm, 1, 8000, 16, Integers(16, 16384)));
        try
        {
            AudioFileReader.Read(path).Samples.ShouldBe([0.5f]);
        }
        finally
        {
            File.Delete(path);
        }
        byte[] mp3 = File.ReadAllBytes(TestData("hello.mp3"));
        AudioFileReader.Read(mp3, "upload").SampleRate.ShouldBe(16000);
    }

    [Fact]
    public void A_stream_is_read_to_its_end_and_left_open()
    {
        using var stream = new MemoryStream(File.ReadAllBytes(TestData("hello.mp3")));
        AudioClip fromStream = AudioFileReader.Read(stream, "upload");
        fromStream.Samples.ShouldBe(AudioFileReader.Read(TestData("hello.mp3")).Samples);
        stream.CanRead.ShouldBeTrue();
    }

    [Theory]
    [InlineData(new byte[0], "upload: the audio file is empty.")]
    [InlineData(new byte[] { 0x4F, 0x67, 0x67, 0x53, 0, 2, 0, 0 }, "upload: unrecognised audio format")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24 }, "upload: truncated RIFF header (5 of 12 bytes).")]
    [InlineData(new byte[] { 0xFF, 0xFB, 0xF0, 0x00 }, "upload: unrecognised audio format")]   // bitrate index 15 is not a frame header
    public void Unreadable_audio_is_rejected_with_the_reason(byte[] bytes, string expected)
    {
        Should.Throw<InvalidDataException>(() => AudioFileReader.Read(bytes, "upload")).Message.ShouldStartWith(expected);
    }

    [Fact]
    public void Mp3_data_without_decodable_frames_is_rejected()
    {
        byte[] tagOnly = [.. "ID3\x03\0\0\0\0\0\x0a"u8, .. new byte[10], .. new byte[64]];
        var e = Should.Throw<InvalidDataException>(() => AudioFileReader.Read(tagOnly, "empty.mp3"));
        e.Message.ShouldStartWith("empty.mp3: not a valid MP3 file");
        e.Message.ShouldEndWith(AudioFileReader.Accepted);
    }

    [Fact]
    public void A_corrupt_mp3_is_not_a_valid_mp3_file_without_the_decoders_internal_message()
    {
        // NLayer fails on this file (a mutation of hello.mp3) with IndexOutOfRangeException, whose message
        // "Index was outside the bounds of the array" reached users.
        byte[] corrupt = File.ReadAllBytes(TestData("fuzz/mp3/nlayer-index-out-of-range.mp3"));
        var e = Should.Throw<InvalidDataException>(() => AudioFileReader.Read(corrupt, "voice.mp3"));
        e.Message.ShouldBe($"voice.mp3: not a valid MP3 file (its audio frames could not be decoded). {AudioFileReader.Accepted}");
        e.InnerException.ShouldBeOfType<IndexOutOfRangeException>();
    }

    [Fact]
    public void A_device_or_a_fifo_is_refused_before_it_is_opened()
    {
        // /dev/zero was read until memory ran out, and a FIFO blocked the open forever.
        Should.Throw<InvalidDataException>(() => AudioFileReader.Read("/dev/zero")).Message.ShouldBe(
            "/dev/zero: not a regular file but a device, FIFO or socket; the voice audio must be a regular file.");
        string fifo = Path.Combine(Directory.CreateTempSubdirectory("fifo-").FullName, "voice.wav");
        try
        {
            SpecialFiles.Mkfifo(fifo);
            Should.Throw<InvalidDataException>(() => AudioFileReader.Read(fifo)).Message.ShouldBe(
                $"{fifo}: not a regular file but a device, FIFO or socket; the voice audio must be a regular file.");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(fifo)!, recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        Should.Throw<FileNotFoundException>(() => AudioFileReader.Read("/nonexistent/voice.wav")).Message.ShouldBe("Audio file not found: /nonexistent/voice.wav");
    }
}
