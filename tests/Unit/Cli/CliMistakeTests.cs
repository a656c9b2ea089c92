namespace PocketTts.Tests.Unit.Cli;

/// <summary>
/// Issue 23: every mistake a person made at the command line ends in one error line (and at most one hint line)
/// that names the option or word as typed and what is accepted: no help dump, no .NET type or property name.
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
        { [], "error: 'pocket-tts' needs a command: generate, serve, export-voice, voices, download, backends, quantize, export-onnx, bench.\nhint: 'pocket-tts --help' lists what it accepts." },
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
        { ["bench", "--threads", "x"], "error: --threads expects a whole number ≥ 0 (0 = one per core), not 'x'." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_one_line_naming_the_option_and_what_it_accepts(string[] args, string expected)
    {
        CliResult result = await _host.RunAsync(args);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Error.ShouldBe(expected + "\n");
        result.Output.ShouldBeEmpty();
    }
}
