namespace PocketTts.Tests.Unit.Cli;

/// <summary><c>pocket-tts normalize</c>, run in process with an empty, offline Hugging Face cache.</summary>
public sealed class NormalizeCommandTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Prints_the_text_as_the_model_reads_it_with_nothing_downloaded()
    {
        CliResult result = await _host.RunAsync(["normalize", "Dr. Smith paid $12.50 [pause:1s] at 3 pm"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldBe("Doctor Smith paid twelve dollars and fifty cents.\n[pause 1000 ms]\nAt three P M.\n");
        result.Error.ShouldBeEmpty();
        System.IO.Directory.Exists(_host.PathOf("hf")).ShouldBeFalse("nothing is downloaded or cached");
    }

    [Fact]
    public async Task Normalises_in_the_language_of_the_model()
    {
        CliResult result = await _host.RunAsync(["normalize", "--language", "french_24l", "le 1er mai à 10h30, ça coûte 3,50 €"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldBe("Le premier mai à dix heures trente, ça coûte trois euros et cinquante centimes.\n");
    }

    [Theory]
    [InlineData("-")]
    [InlineData(null)]
    public async Task Reads_standard_input_without_a_text_or_with_a_dash(string? dash)
    {
        string[] args = dash is null ? ["normalize", "--language", "german"] : ["normalize", "--language", "german", dash];
        CliResult result = await _host.RunAsync(args, standardInput: "am 3. Mai um 10:30 Uhr\n");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldBe("Am dritten Mai um zehn Uhr dreißig.\n");
    }

    [Fact]
    public async Task A_text_with_nothing_to_normalise_is_only_prepared_as_the_reference_prepares_it()
    {
        CliResult result = await _host.RunAsync(["normalize", "--language", "italian", "il gatto dorme sul divano"]);

        result.Output.ShouldBe("Il gatto dorme sul divano.\n");
    }

    [Fact]
    public async Task No_normalize_and_normalize_language_choose_the_normaliser()
    {
        CliResult off = await _host.RunAsync(["normalize", "--no-normalize", "3 cats"]);
        off.Output.ShouldBe("3 cats.\n");

        CliResult spanish = await _host.RunAsync(["normalize", "--normalize-language", "spanish", "el 1.er piso"]);
        spanish.Output.ShouldBe("El primer piso.\n");
    }

    [Fact]
    public async Task Prints_one_line_per_chunk_when_the_tokenizer_is_at_hand()
    {
        CliResult result = await _host.RunAsync(["normalize", "--config", CliTestHost.TinyConfig, "--normalize-language", "english", "I have 2 cats. They sleep."]);

        result.ExitCode.ShouldBe(0, result.ToString());
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("I have two cats. They sleep.");
        lines.Skip(1).ShouldAllBe(line => line.StartsWith("chunk ", StringComparison.Ordinal) && line.Contains(" tokens): ", StringComparison.Ordinal));
        string.Join(' ', lines.Skip(1).Select(line => line[(line.IndexOf("): ", StringComparison.Ordinal) + 3)..])).ShouldContain("two cats");
    }

    [Theory]
    [InlineData(new[] { "normalize", "--normalize-language", "klingon", "hi" }, "error: --normalize-language: Unknown language 'klingon'.")]
    [InlineData(new[] { "normalize", "--language", "frnch", "hi" }, "error: --language: Unknown language 'frnch'.")]
    [InlineData(new[] { "normalize", "--no-normalize", "--normalize-language", "french", "hi" }, "error: --no-normalize and --normalize-language are exclusive")]
    [InlineData(new[] { "normalize", "[pause:fast] hi" }, "[pause:fast]")]
    public async Task Bad_input_gets_a_clear_error(string[] args, string message)
    {
        CliResult result = await _host.RunAsync(args, standardInput: "");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Error.ShouldContain(message);
        result.Output.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_empty_standard_input_is_an_error()
    {
        CliResult result = await _host.RunAsync(["normalize"], standardInput: "  \n");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("error: No text to normalise: give it as an argument or on standard input.\n");
    }
}
