using PocketTts.Config;
using PocketTts.Host.Cli;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>
/// Issue 23: every mistake a person made at the command line ends in one error line (and at most one hint line)
/// that names the option or word as typed and what is accepted: no help dump, no .NET type or property name.
/// Voices, languages and paths are checked before anything is downloaded, and say what was looked for where.
/// </summary>
public sealed class CliMistakeTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    public static TheoryData<string[], string> Mistakes => new()
    {
        { ["generate", "--txt", "hi"], "error: unknown option '--txt' for 'pocket-tts generate'; did you mean '--text'?" },
        { ["generate", "--frobnicate"], "error: unknown option '--frobnicate' for 'pocket-tts generate'.\nhint: 'pocket-tts generate --help' lists what it accepts." },
        { ["genrate"], "error: unknown command 'genrate'; did you mean 'generate'?" },
        { [], "error: 'pocket-tts' needs a command: generate, serve, export-voice, voices, download, backends, plugins, quantize, export-onnx, bench, normalize.\nhint: 'pocket-tts --help' lists what it accepts." },
        { ["generate", "--text", "Hello", "world."], "error: unexpected argument 'world.' for 'pocket-tts generate': it takes options only.\nhint: quote a value that has spaces, e.g. --text \"Hello world.\"" },
        { ["generate", "--text"], "error: --text needs a value." },
        { ["generate", "--text", "a", "--text", "b"], "error: --text takes one value, got 2: 'a', 'b'." },
        { ["generate", "--temperature", "abc"], "error: --temperature expects a number ≥ 0, not 'abc'." },
        { ["generate", "--temperature", "-1"], "error: --temperature expects a number ≥ 0, not '-1'." },
        { ["serve", "--temperature", "warm"], "error: --temperature expects a number ≥ 0, not 'warm'." },
        { ["generate", "--noise-clamp", "0"], "error: --noise-clamp expects a number > 0, not '0'." },
        { ["generate", "--eos-threshold", "NaN"], "error: --eos-threshold expects a number, not 'NaN'." },
        { ["generate", "--seed", "1.5"], "error: --seed expects a whole number, not '1.5'." },
        { ["generate", "--lsd-decode-steps", "0"], "error: --lsd-decode-steps expects a whole number ≥ 1, not '0'." },
        { ["generate", "--sampler-decode-steps", "0"], "error: --sampler-decode-steps expects a whole number ≥ 1, not '0'." },
        { ["generate", "--frames-after-eos", "-1"], "error: --frames-after-eos expects a whole number ≥ 0, not '-1'." },
        { ["generate", "--max-tokens", "0"], "error: --max-tokens expects a whole number ≥ 1, not '0'." },
        { ["generate", "--threads", "-3"], "error: --threads expects a whole number ≥ 0 (0 = one per core), not '-3'." },
        { ["generate", "--format", "ogg"], "error: --format expects one of mp3, opus, aac, flac, wav, pcm, not 'ogg'." },
        { ["bench", "--threads", "x"], "error: --threads expects a whole number ≥ 0 (0 = one per core), not 'x'." },
        // Voices and paths are checked before the model is downloaded (the default english model is not cached here).
        { ["generate", "--voice", "nobody"], "error: --voice 'nobody' is neither a predefined voice nor a file (looked for {cwd}/nobody).\nhint: predefined voices are {voices}; or give a WAV/MP3 recording or an exported .safetensors state." },
        { ["generate", "--voice", "alab"], "error: --voice 'alab' is neither a predefined voice nor a file (looked for {cwd}/alab).\nhint: did you mean 'alba'?" },
        { ["export-voice", "nothing.wav", "out.safetensors"], "error: export-voice 'nothing.wav' is neither a predefined voice nor a file (looked for {cwd}/nothing.wav).\nhint: predefined voices are {voices}; or give a WAV/MP3 recording or an exported .safetensors state." },
        { ["generate", "--config", "{tiny}", "--voice", "missing.wav"], "error: --voice 'missing.wav': no such file ({cwd}/missing.wav).\nhint: give a WAV/MP3 recording or an exported .safetensors state; predefined voices need a built-in --language and its released weights." },
        { ["generate", "--config", "{tiny}", "--output-path", "{dir}/out.wav"], "error: no --voice was given, and the model's default voice (hf://kyutai/tts-voices/alba-mackenna/casual.wav) could not be used: hf://kyutai/tts-voices/alba-mackenna/casual.wav@main is not in the Hugging Face cache ({dir}/hf/hub) and offline mode is on (HF_HUB_OFFLINE). Download it once with network access, or turn offline mode off.\nhint: give --voice a WAV/MP3 recording or an exported .safetensors state." },
        { ["generate", "--config", "{tiny}", "--onnx-graphs", "/nonexistent"], "error: --onnx-graphs '/nonexistent': no such folder (/nonexistent); give the folder export-onnx wrote." },
        { ["generate", "--language", "french"], "error: --language 'french' is not a built-in language; did you mean 'french_24l'?" },
        { ["generate", "--language", "klingon"], "error: --language 'klingon' is not a built-in language: accepted are dutch, english, english_2026-01, english_2026-04, english_2026-09, english_2026-09_24l, english_drifting_26_09, french_24l, german, german_24l, italian, italian_24l, portuguese, portuguese_24l, spanish, spanish_24l." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_one_line_naming_the_option_and_what_it_accepts(string[] args, string expected)
    {
        CliResult result = await _host.RunAsync([.. args.Select(Expand)]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Error.ShouldBe(Expand(expected) + "\n");
        result.Output.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_download_that_cannot_connect_says_the_cause_once_and_hints_at_the_ways_around()
    {
        CliResult result = await _host.RunAsync(["download"], environmentOverrides: new Dictionary<string, string> { ["HF_HUB_OFFLINE"] = "0", ["HF_ENDPOINT"] = "http://127.0.0.1:1" });

        result.ExitCode.ShouldBe(CliErrors.Download, result.ToString());
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2, result.Error);
        lines[0].ShouldStartWith("error: Could not download http://127.0.0.1:1/kyutai/pocket-tts/resolve/");
        lines[0].ShouldEndWith("/model.safetensors: Connection refused (127.0.0.1:1)");
        lines[1].ShouldBe("hint: check the network or proxy; HF_ENDPOINT names a mirror, HF_HUB_OFFLINE=1 uses only cached files, 'pocket-tts download' fetches a model ahead, and --config runs a model from local files.");
    }

    private string Expand(string text) => text
        .Replace("{cwd}", Environment.CurrentDirectory, StringComparison.Ordinal)
        .Replace("{dir}", _host.Directory, StringComparison.Ordinal)
        .Replace("{tiny}", CliTestHost.TinyConfig, StringComparison.Ordinal)
        .Replace("{voices}", string.Join(", ", PredefinedVoices.All.Select(v => v.Name)), StringComparison.Ordinal);
}
