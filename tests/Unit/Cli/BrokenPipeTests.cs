using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Cli;

/// <summary><c>generate --output-path -</c> as a real child process whose reader goes away, as <c>| head -c100</c> does.</summary>
public sealed class BrokenPipeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("broken-pipe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_closed_pipe_ends_generation_with_exit_141_and_one_line()
    {
        // Console's stream ignored EPIPE: generation ran to its end and exited 0.
        string text = Path.Combine(_folder, "text.txt"), errors = Path.Combine(_folder, "stderr.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 40)));
        string script = $$"""
            dotnet '{{Path.Combine(AppContext.BaseDirectory, "pocket-tts.dll")}}' generate --config '{{CliTestHost.TinyConfig}}' \
              --voice '{{RepoPaths.Fixture("voice_state.safetensors")}}' --text - --output-path - -q < '{{text}}' 2> '{{errors}}' | head -c100 > /dev/null
            echo "exit ${PIPESTATUS[0]}"
            """;
        string scriptFile = Path.Combine(_folder, "run.sh");
        File.WriteAllText(scriptFile, script);

        (int exitCode, string log) = ProcessRunner.Run("bash", scriptFile, _folder, TimeSpan.FromMinutes(2));

        exitCode.ShouldBe(0, log);
        log.ShouldContain("exit 141", Case.Sensitive, log);
        File.ReadAllText(errors).ShouldBe("error: standard output was closed before all audio was written (broken pipe).\n");
    }
}
