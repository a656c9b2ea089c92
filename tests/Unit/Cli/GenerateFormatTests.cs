using System.Buffers.Binary;
using System.Text;
using PocketTts.Audio;
using PocketTts.Host.Cli;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>
/// Issue 21, item 5: <c>generate</c> writes every format the server encodes, chosen by the output's extension or
/// <c>--format</c>, through the server's encoders; a file carries its true length.
/// </summary>
public sealed class GenerateFormatTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string[] Tiny(params string[] args) =>
        [.. args, "--config", CliTestHost.TinyConfig, "--voice", Path.Combine(AppContext.BaseDirectory, "Fixtures", "voice_state.safetensors"), "--seed", "3", "-q"];

    private static Dictionary<string, string> WithFfmpeg() => new() { ["PATH"] = Path.GetDirectoryName(FfmpegFactAttribute.Path)! };

    [Fact]
    public async Task A_wav_file_carries_its_true_length_and_pcm_is_the_same_samples_without_a_header()
    {
        string wav = _host.PathOf("out.wav");
        CliResult file = await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", wav));
        CliResult raw = await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", "-", "--format", "pcm"));

        file.ExitCode.ShouldBe(0, file.ToString());
        raw.ExitCode.ShouldBe(0, raw.ToString());
        byte[] bytes = File.ReadAllBytes(wav);
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)).ShouldBe((uint)(bytes.Length - WavWriter.HeaderBytes), "the data size is the real one, not the streaming placeholder");
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)).ShouldBe((uint)(bytes.Length - 8));
        raw.StandardOutputBytes.ShouldBe(bytes[WavWriter.HeaderBytes..]);
    }

    [Fact]
    public async Task An_ogg_extension_writes_ogg_opus_without_ffmpeg()
    {
        string ogg = _host.PathOf("out.ogg");
        CliResult result = await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", ogg));

        result.ExitCode.ShouldBe(0, result.ToString());
        byte[] bytes = File.ReadAllBytes(ogg);
        Encoding.ASCII.GetString(bytes, 0, 4).ShouldBe("OggS");
        Encoding.ASCII.GetString(bytes).ShouldContain("OpusHead");
    }

    [FfmpegFact]
    public async Task Mp3_and_flac_files_decode_to_the_length_of_the_wav()
    {
        string wav = _host.PathOf("ref.wav");
        (await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", wav))).ExitCode.ShouldBe(0);
        double seconds = (File.ReadAllBytes(wav).Length - WavWriter.HeaderBytes) / 2.0 / 24000;

        foreach ((string name, string magic) in new[] { ("out.mp3", "ID3"), ("out.flac", "fLaC") })
        {
            string path = _host.PathOf(name);
            CliResult result = await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", path), environmentOverrides: WithFfmpeg());

            result.ExitCode.ShouldBe(0, result.ToString());
            Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, magic.Length).ShouldBe(magic, name);
            string decoded = _host.PathOf(name + ".wav");
            (int exit, string log) = ProcessRunner.Run(FfmpegFactAttribute.Path!, $"-hide_banner -loglevel error -i {path} -ac 1 -ar 24000 {decoded}", _host.Directory, TimeSpan.FromMinutes(1));
            exit.ShouldBe(0, log);
            double decodedSeconds = (File.ReadAllBytes(decoded).Length - WavWriter.HeaderBytes) / 2.0 / 24000;
            decodedSeconds.ShouldBe(seconds, 0.06, $"{name} holds the whole speech (encoder padding aside)");
        }
    }

    [FfmpegFact]
    public async Task A_flac_file_carries_its_true_length_in_its_stream_info()
    {
        string wav = _host.PathOf("ref.wav"), flac = _host.PathOf("out.flac");
        (await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", wav))).ExitCode.ShouldBe(0);
        CliResult result = await _host.RunAsync(Tiny("generate", "--text", "Hello there.", "--output-path", flac), environmentOverrides: WithFfmpeg());

        result.ExitCode.ShouldBe(0, result.ToString());
        // STREAMINFO, the first block after "fLaC": rate (20 bits), channels − 1 (3), bits − 1 (5), total samples (36).
        ulong info = BinaryPrimitives.ReadUInt64BigEndian(File.ReadAllBytes(flac).AsSpan(18, 8));
        (info >> 44).ShouldBe(24000UL);
        ((info >> 36) & 0xFF).ShouldBe(15UL, "mono, 16 bits");
        ((long)(info & 0xF_FFFF_FFFF)).ShouldBe((File.ReadAllBytes(wav).Length - WavWriter.HeaderBytes) / 2, "the WAV's sample count, where a pipe would leave 0");
    }

    [Fact]
    public async Task A_format_that_needs_ffmpeg_fails_before_anything_is_loaded_and_writes_nothing()
    {
        string flac = _host.PathOf("out.flac");
        CliResult byExtension = await _host.RunAsync(Tiny("generate", "--text", "Hi.", "--output-path", flac));
        CliResult byName = await _host.RunAsync(Tiny("generate", "--text", "Hi.", "--output-path", _host.PathOf("out.bin"), "--format", "mp3"));

        byExtension.ExitCode.ShouldBe(CliErrors.Unsupported);
        byExtension.Error.ShouldStartWith($"error: --output-path '{flac}': flac (from the extension) needs ffmpeg, which was not found");
        byName.ExitCode.ShouldBe(CliErrors.Unsupported);
        byName.Error.ShouldStartWith("error: --format 'mp3': needs ffmpeg, which was not found");
        byName.Error.ShouldEndWith("Formats that work now: opus, wav, pcm.\n");
        File.Exists(flac).ShouldBeFalse();
        File.Exists(_host.PathOf("out.bin")).ShouldBeFalse();
    }
}
