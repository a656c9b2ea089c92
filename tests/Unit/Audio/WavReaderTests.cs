using PocketTts.Audio;
using static PocketTts.Tests.Unit.Audio.WavBytes;

namespace PocketTts.Tests.Unit.Audio;

public class WavReaderTests
{
    public static TheoryData<string, byte[], float[]> Encodings => new()
    {
        // Integers are divided by 2^(bits-1); 8-bit is unsigned around 128.
        { "pcm8", Wav(Pcm, 1, 8000, 8, [0, 128, 255, 192, 64]), [-1f, 0f, 127 / 128f, 0.5f, -0.5f] },
        { "pcm16", Wav(Pcm, 1, 8000, 16, Integers(16, -32768, 0, 32767, 16384, -1)), [-1f, 0f, 32767 / 32768f, 0.5f, -1 / 32768f] },
        { "pcm24", Wav(Pcm, 1, 8000, 24, Integers(24, -8388608, 0, 8388607, -4194304, 1)), [-1f, 0f, 8388607 / 8388608f, -0.5f, 1 / 8388608f] },
        { "pcm32", Wav(Pcm, 1, 8000, 32, Integers(32, int.MinValue, 0, int.MaxValue, 1 << 30, -1)), [-1f, 0f, 1f, 0.5f, -1 / 2147483648f] },
        { "float32", Wav(Float, 1, 8000, 32, Floats(-1f, 0f, 0.1f, 1.5f, -2.25f)), [-1f, 0f, 0.1f, 1.5f, -2.25f] },
        { "float64", Wav(Float, 1, 8000, 64, Doubles(-1, 0, 0.1, 1e-3, 0.75)), [-1f, 0f, 0.1f, 1e-3f, 0.75f] },
        { "extensible pcm16", Riff(Chunk("fmt ", FmtExtensible(Pcm, 1, 8000, 16)), Chunk("data", Integers(16, -32768, 0, 16384))), [-1f, 0f, 0.5f] },
        { "extensible pcm24", Riff(Chunk("fmt ", FmtExtensible(Pcm, 1, 8000, 24)), Chunk("data", Integers(24, 4194304, -8388608))), [0.5f, -1f] },
        { "extensible float32", Riff(Chunk("fmt ", FmtExtensible(Float, 1, 8000, 32)), Chunk("data", Floats(0.25f, -0.125f))), [0.25f, -0.125f] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_supported_encoding_decodes_to_the_reference_scaling(string encoding, byte[] file, float[] expected)
    {
        AudioClip clip = WavReader.Read(file, encoding);
        clip.SampleRate.ShouldBe(8000);
        clip.Samples.ShouldBe(expected);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    [InlineData(3e38f, "3E+38")]
    [InlineData(-1001f, "-1001")]
    public void Float_samples_that_are_not_finite_or_beyond_60_dB_over_full_scale_are_rejected(float bad, string shown)
    {
        // Such an upload gave 200 and silent audio of maximum length: the encoder turned it into NaN.
        byte[] file = Wav(Float, 1, 8000, 32, Floats(0f, 0.5f, bad, 0f));
        Should.Throw<InvalidDataException>(() => WavReader.Read(file, "voice.wav")).Message.ShouldStartWith(
            $"voice.wav: sample 2 is {shown}; IEEE float samples must be finite and within ±1000 (full scale is ±1).", Case.Sensitive);
        Should.Throw<InvalidDataException>(() => WavReader.Read(Wav(Float, 1, 8000, 64, Doubles(0, 0.5, bad, 0)), "voice.wav")).Message.ShouldStartWith(
            $"voice.wav: sample 2 is {shown}; ", Case.Sensitive);
    }

    [Fact]
    public void Float_samples_beyond_full_scale_but_within_the_limit_are_kept()
    {
        WavReader.Read(Wav(Float, 1, 8000, 32, Floats(-1000f, 999.5f, 2f)), "loud.wav").Samples.ShouldBe([-1000f, 999.5f, 2f]);
    }

    [Fact]
    public void Channels_are_averaged_in_float32_like_numpy_mean()
    {
        // Three 16-bit channels, two frames.
        short[] codes = [1000, 2000, 4000, -32768, 32767, 3];
        AudioClip three = WavReader.Read(Wav(Pcm, 3, 16000, 16, Integers(16, [.. codes.Select(c => (long)c)])));
        three.Samples.ShouldBe([(1000 / 32768f + 2000 / 32768f + 4000 / 32768f) / 3, (-1f + 32767 / 32768f + 3 / 32768f) / 3]);

        // Six float channels (5.1), one frame; extensible header as 5.1 files have.
        float[] surround = [0.5f, -0.25f, 0.125f, 1f, -1f, 0.3f];
        AudioClip six = WavReader.Read(Riff(Chunk("fmt ", FmtExtensible(Float, 6, 48000, 32)), Chunk("data", Floats(surround))));
        six.SampleRate.ShouldBe(48000);
        six.Samples.ShouldBe([(((((0.5f + -0.25f) + 0.125f) + 1f) + -1f) + 0.3f) / 6]);

        // Stereo 8-bit: unsigned samples averaged after centring.
        WavReader.Read(Wav(Pcm, 2, 8000, 8, [255, 1, 128, 192])).Samples.ShouldBe([(127 / 128f + -127 / 128f) / 2, 0.25f]);
    }

    [Fact]
    public void Unknown_and_odd_sized_chunks_are_skipped_with_their_pad_byte()
    {
        byte[] file = Riff(
            Chunk("JUNK", new byte[3]),                         // odd size: a pad byte follows
            Chunk("fmt ", Fmt(Pcm, 1, 22050, 16)),
            Chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0"u8.ToArray()),
            Chunk("fact", Integers(32, 2)),
            Chunk("data", Integers(16, 16384, -16384)),
            Chunk("id3 ", new byte[7]));                        // after the data: not read as samples
        AudioClip clip = WavReader.Read(file);
        clip.SampleRate.ShouldBe(22050);
        clip.Samples.ShouldBe([0.5f, -0.5f]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(2_000_000_000u)]   // what the reference's streaming writer leaves in every file
    public void A_data_size_unknown_to_a_streaming_writer_means_to_the_end_of_the_file(uint sizeField)
    {
        byte[] file = Riff(Chunk("fmt ", Fmt(Pcm, 1, 24000, 16)), Chunk("data", Integers(16, 1, 2, 3, 4, 5), sizeField));
        WavReader.Read(file).Samples.ShouldBe([1 / 32768f, 2 / 32768f, 3 / 32768f, 4 / 32768f, 5 / 32768f]);
    }

    [Fact]
    public void A_trailing_partial_frame_is_ignored()
    {
        byte[] data = [.. Integers(16, 100, 200, 300), 0x7F];   // 3 stereo samples + 1 stray byte: one whole frame
        WavReader.Read(Wav(Pcm, 2, 8000, 16, data)).Samples.ShouldBe([(100 / 32768f + 200 / 32768f) / 2]);
        WavReader.Read(Wav(Pcm, 1, 8000, 16, [])).Samples.ShouldBeEmpty();
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty", [], "the file is empty" },
        { "wrong magic", "OggS\0\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), "not a WAV file" },
        { "big-endian RIFX", "RIFX\0\0\0\0WAVE"u8.ToArray(), "not a WAV file" },
        { "RIFF of another type", "RIFF\0\0\0\0AVI LIST"u8.ToArray(), "a RIFF file of type 'AVI ', not WAVE" },
        { "RF64", "RF64\xff\xff\xff\xffWAVE"u8.ToArray(), "RF64 (64-bit WAV) is not supported" },
        { "truncated RIFF header", "RIFF\x24\0\0\0WA"u8.ToArray(), "truncated RIFF header (10 of 12 bytes)" },
        { "truncated chunk header", [.. Riff(Chunk("fmt ", Fmt(Pcm, 1, 8000, 16))), .. "data"u8], "truncated chunk header at byte 36 (4 of 8 bytes)" },
        { "short fmt chunk", Riff(Chunk("fmt ", new byte[14]), Chunk("data", new byte[2])), "the format chunk has 14 bytes; at least 16 are required" },
        { "truncated fmt chunk", Riff(Chunk("fmt ", Fmt(Pcm, 1, 8000, 16)))[..30], "truncated format chunk (10 of 16 bytes)" },
        { "ADPCM", Wav(2, 1, 8000, 4, new byte[4]), "unsupported format tag 0x0002" },
        { "MPEG layer 3 in WAV", Wav(0x55, 1, 8000, 0, new byte[4]), "unsupported format tag 0x0055" },
        { "12-bit PCM", Wav(Pcm, 1, 8000, 12, new byte[4]), "unsupported PCM integer sample size of 12 bits" },
        { "16-bit float", Wav(Float, 1, 8000, 16, new byte[4]), "unsupported IEEE float sample size of 16 bits" },
        { "zero channels", Wav(Pcm, 0, 8000, 16, new byte[4]), "the format declares 0 channels" },
        { "zero rate", Wav(Pcm, 1, 0, 16, new byte[4]), "a sample rate of 0 Hz" },
        { "negative rate", Wav(Pcm, 1, -5, 16, new byte[4]), "a sample rate of 4294967291 Hz" },
        { "extensible, unknown GUID", Riff(Chunk("fmt ", FmtExtensible(Pcm, 1, 8000, 16, standardGuid: false)), Chunk("data", new byte[2])), "unsupported WAVE_FORMAT_EXTENSIBLE sub-format" },
        { "extensible, short", Riff(Chunk("fmt ", FmtExtensible(Pcm, 1, 8000, 16)[..18]), Chunk("data", new byte[2])), "WAVE_FORMAT_EXTENSIBLE format chunk has 18 bytes; 40 are required" },
        { "no fmt chunk", Riff(Chunk("LIST", new byte[4])), "no format (fmt) chunk" },
        { "no data chunk", Riff(Chunk("fmt ", Fmt(Pcm, 1, 8000, 16))), "no data chunk" },
        { "data before fmt", Riff(Chunk("data", new byte[2]), Chunk("fmt ", Fmt(Pcm, 1, 8000, 16))), "the data chunk comes before the format (fmt) chunk" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Corrupt_truncated_and_unsupported_files_say_what_is_wrong_and_what_is_accepted(string why, byte[] file, string expected)
    {
        var e = Should.Throw<InvalidDataException>(() => WavReader.Read(file, "voice.wav"), why);
        e.Message.ShouldStartWith("voice.wav: ");
        e.Message.ShouldContain(expected);
        e.Message.ShouldEndWith(WavReader.Accepted);
    }

    [Fact]
    public void IsWav_looks_at_the_riff_and_wave_tags()
    {
        WavReader.IsWav(Wav(Pcm, 1, 8000, 16, [])).ShouldBeTrue();
        WavReader.IsWav("RIFF\0\0\0\0AVI "u8).ShouldBeFalse();
        WavReader.IsWav("RIFF"u8).ShouldBeFalse();
    }
}
