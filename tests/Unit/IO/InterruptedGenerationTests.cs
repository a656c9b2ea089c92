using PocketTts.Tests.Unit.Cli;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.IO;

/// <summary>
/// <c>pocket-tts generate</c> as a real child process, interrupted by a signal while it writes: no temporary file may
/// be left behind and the existing output must be untouched.
/// </summary>
public sealed class InterruptedGenerationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("interrupted-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    [InlineData("HUP")]
    public void A_signal_during_generation_leaves_the_old_file_and_nothing_else(string signal)
    {
        string output = Path.Combine(_folder, "speech.wav"), text = Path.Combine(_folder, "text.txt");
        File.WriteAllText(output, "the previous take");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 400)));
        // The shell starts the command as a terminal would (every signal at its default, which `env` restores even
        // where the test host ignores one), waits until the temporary output exists, signals it and reports how it
        // ended.
        string script = $"""
            env --default-signal dotnet '{Path.Combine(AppContext.BaseDirectory, "pocket-tts.dll")}' generate --config '{CliTestHost.TinyConfig}' \
              --voice '{RepoPaths.Fixture("voice_state.safetensors")}' --text - --output-path '{output}' -q < '{text}' &
            child=$!
            for _ in $(seq 600); do ls -A '{_folder}' | grep -q '\.tmp$' && break; sleep 0.1; done
            ls -A '{_folder}' | grep -q '\.tmp$' || exit 2
            sleep 0.5
            kill -{signal} $child
            wait $child
            echo "exit $?"
            """;

        string scriptFile = Path.Combine(Directory.CreateTempSubdirectory("interrupted-script-").FullName, "run.sh");
        File.WriteAllText(scriptFile, script);
        (int exitCode, string log) = ProcessRunner.Run("bash", scriptFile, _folder, TimeSpan.FromMinutes(2));
        Directory.Delete(Path.GetDirectoryName(scriptFile)!, recursive: true);

        exitCode.ShouldBe(0, "the temporary output appeared and the shell could signal the run: " + log);
        log.ShouldContain("exit 1", Case.Sensitive, "the signal ended the run (exit 128 + its number): " + log);
        Directory.GetFiles(_folder).Order().ShouldBe([output, text]); // the old output alone: no temporary file left behind
        File.ReadAllText(output).ShouldBe("the previous take");
    }
}
