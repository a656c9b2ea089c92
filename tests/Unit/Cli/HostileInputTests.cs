using PocketTts.Host.Cli;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>
/// The inputs of issue 22 that crashed, hung or ran out of memory: each must end in one line that says what was
/// wrong, exit code 1, and no stack trace or .NET type name.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<CliResult> GenerateAsync(string voice, string? config = null)
    {
        CliResult result = await _host.RunAsync(["generate", "--text", "Hi.", "--config", config ?? CliTestHost.TinyConfig, "--voice", voice, "--output-path", _host.PathOf("out.wav"), "-q"]);
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Error.ShouldNotContain("   at ");
        result.Error.ShouldNotContain("Exception");
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1, result.Error);
        File.Exists(_host.PathOf("out.wav")).ShouldBeFalse();
        return result;
    }

    [Fact]
    public async Task A_file_url_as_voice_names_the_accepted_references()
    {
        (await GenerateAsync("file:///etc/passwd")).Error.ShouldBe(
            "error: 'file:///etc/passwd' is not a supported file reference: accepted are hf://<org>/<repo>/<path>[@<revision>], http:// or https:// URLs, and local paths.\n");
    }

    [Fact]
    public async Task A_path_traversal_in_an_hf_reference_is_an_invalid_reference()
    {
        (await GenerateAsync("hf://../../etc/passwd")).Error.ShouldStartWith(
            "error: 'hf://../../etc/passwd@main' is not a valid Hugging Face file reference: '..' is not a valid organisation or repository name");
    }

    [Fact]
    public async Task Dev_zero_and_a_fifo_as_voice_are_refused_without_reading_them()
    {
        (await GenerateAsync("/dev/zero")).Error.ShouldBe(
            "error: /dev/zero: not a regular file but a device, FIFO or socket; the voice audio must be a regular file.\n");
        string fifo = _host.PathOf("voice.wav");
        SpecialFiles.Mkfifo(fifo);
        (await GenerateAsync(fifo)).Error.ShouldBe(
            $"error: {fifo}: not a regular file but a device, FIFO or socket; the voice audio must be a regular file.\n");
    }

    [Fact]
    public async Task A_voice_state_whose_header_key_is_not_utf8_is_an_invalid_file()
    {
        byte[] header = [.. "{\""u8, 0xFF, 0xFE, .. "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"u8];
        string voice = _host.PathOf("voice.safetensors");
        File.WriteAllBytes(voice, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        (await GenerateAsync(voice)).Error.ShouldBe(
            $"error: {voice}: the header is not valid UTF-8 (a safetensors header is UTF-8 JSON); not a safetensors file.\n");
    }

    [Fact]
    public async Task A_config_with_zero_heads_is_an_error_naming_the_key()
    {
        string config = _host.PathOf("config.yaml");
        File.WriteAllText(config, File.ReadAllText(CliTestHost.TinyConfig).Replace("num_heads: 2", "num_heads: 0", StringComparison.Ordinal));
        (await GenerateAsync(RepoPaths.Fixture("voice_state.safetensors"), config)).Error.ShouldBe(
            $"error: {config}: flow_lm.transformer.num_heads must be between 1 and 65536, got 0. mimi.transformer.num_heads must be between 1 and 65536, got 0.\n");
    }

    [Fact]
    public async Task An_unforeseen_failure_is_one_line_unless_debugging_is_asked_for()
    {
        var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, _ => null);
        int exit = await context.RunAsync(CliApplication.Build(context).Parse(["voices"]), _ => throw new InvalidOperationException("boom"), CancellationToken.None);

        exit.ShouldBe(CliErrors.Internal, "a bug is told apart from bad input by its exit code");
        error.ToString().ShouldBe($"error: internal error: boom (please report it; {CliContext.DebugVariable}=1 shows where it happened)\n");

        var debugging = new CliContext(TextWriter.Null, TextWriter.Null, name => name == CliContext.DebugVariable ? "1" : null);
        await Should.ThrowAsync<InvalidOperationException>(() => debugging.RunAsync(CliApplication.Build(debugging).Parse(["voices"]), _ => throw new InvalidOperationException("boom"), CancellationToken.None));
    }
}
