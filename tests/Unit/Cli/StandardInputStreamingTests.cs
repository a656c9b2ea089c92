using System.Diagnostics;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary>
/// <c>generate --text -</c> as a real child process fed through a real pipe, slowly, as a language model writes:
/// the first audio leaves before standard input is closed, and the audio is that of the whole text given at once.
/// </summary>
public sealed class StandardInputStreamingTests : IDisposable
{
    // With the tiny model's tokenizer and the default budget of 50 tokens, these four sentences make one chunk: the
    // first is final once a sentence of the second round is complete.
    private const string Sentences = "Hello there! How are you doing today? I hope the weather is nice where you are... "
        + "Let us see how this text gets split into chunks! Is it working? ";
    private const string FirstPart = Sentences + Sentences + "And ";
    private const string SecondPart = "that is all.";

    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_first_audio_leaves_before_standard_input_closes()
    {
        string[] options = ["--config", CliTestHost.TinyConfig, "--voice", RepoPaths.Fixture("voice_state.safetensors"), "--temperature", "0", "--format", "pcm", "-q"];
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "pocket-tts.dll"), "generate", "--text", "-", "--output-path", "-", .. options])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        try
        {
            // A word at a time, as a language model writes.
            foreach (string word in FirstPart.Split(' '))
            {
                await process.StandardInput.WriteAsync(word + " ");
                await process.StandardInput.FlushAsync();
                await Task.Delay(20);
            }

            Stream stdout = process.StandardOutput.BaseStream;
            var first = new byte[4096];
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                int read = await stdout.ReadAsync(first, timeout.Token);
                read.ShouldBeGreaterThan(0, "audio of the first chunk, while standard input is still open");
                process.HasExited.ShouldBeFalse();
                var rest = new MemoryStream();
                rest.Write(first, 0, read);

                await process.StandardInput.WriteAsync(SecondPart);
                process.StandardInput.Close();
                await stdout.CopyToAsync(rest, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                process.ExitCode.ShouldBe(0, await errors);

                // The same samples as the whole text given at once.
                string whole = _host.PathOf("whole.pcm");
                CliResult result = await _host.RunAsync(["generate", "--text", FirstPart + SecondPart, "--output-path", whole, .. options]);
                result.ExitCode.ShouldBe(0, result.ToString());
                rest.ToArray().ShouldBe(File.ReadAllBytes(whole));
            }
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Empty_standard_input_is_a_usage_error()
    {
        CliResult result = await _host.RunAsync(
            ["generate", "--text", "-", "--config", CliTestHost.TinyConfig, "--voice", RepoPaths.Fixture("voice_state.safetensors"), "-q", "--output-path", _host.PathOf("none.wav")],
            standardInput: " \n");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Error.ShouldContain("standard input was empty");
        File.Exists(_host.PathOf("none.wav")).ShouldBeFalse("nothing is written");
    }
}
