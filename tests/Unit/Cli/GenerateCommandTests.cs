using PocketTts.Audio;

namespace PocketTts.Tests.Unit.Cli;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string[] Tiny(params string[] args) => [.. args, "--config", CliTestHost.TinyConfig, "--voice", Path.Combine(AppContext.BaseDirectory, "Fixtures", "voice_state.safetensors"), "-q"];

    [Fact]
    public async Task Generate_writes_a_complete_wav_file_and_nothing_else()
    {
        string output = _host.PathOf("out.wav");
        CliResult result = await _host.RunAsync(Tiny("generate", "--text", "Hello world!", "--output-path", output, "--seed", "1"));

        result.ExitCode.ShouldBe(0, result.ToString());
        AudioClip clip = WavReader.Read(File.ReadAllBytes(output));
        clip.SampleRate.ShouldBe(24000);
        (clip.Samples.Length % 1920).ShouldBe(0);
        clip.Samples.Length.ShouldBeGreaterThan(0);
        System.IO.Directory.GetFiles(_host.Directory).ShouldBe([output], "no temporary file is left behind");
    }

    [Fact]
    public async Task Dev_null_and_a_symbolic_link_are_written_through_not_replaced()
    {
        CliResult toNull = await _host.RunAsync(Tiny("generate", "--text", "Hi.", "--output-path", "/dev/null"));
        toNull.ExitCode.ShouldBe(0, toNull.ToString());
        PocketTts.IO.FileType.IsSpecial("/dev/null").ShouldBeTrue("/dev/null is still a device");

        string target = _host.PathOf("take.wav"), link = _host.PathOf("latest.wav");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        CliResult toLink = await _host.RunAsync(Tiny("generate", "--text", "Hi.", "--output-path", link));
        toLink.ExitCode.ShouldBe(0, toLink.ToString());
        new FileInfo(link).LinkTarget.ShouldBe(target);
        WavReader.Read(File.ReadAllBytes(target)).Samples.Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Sampler_decode_steps_is_the_3x_name_of_lsd_decode_steps()
    {
        string renamed = _host.PathOf("renamed.wav"), old = _host.PathOf("old.wav"), single = _host.PathOf("single.wav");
        foreach (string[] args in new[]
        {
            Tiny("generate", "--text", "Hi.", "--temperature", "0", "--sampler-decode-steps", "3", "--output-path", renamed),
            Tiny("generate", "--text", "Hi.", "--temperature", "0", "--lsd-decode-steps", "3", "--output-path", old),
            Tiny("generate", "--text", "Hi.", "--temperature", "0", "--output-path", single),
        })
        {
            CliResult result = await _host.RunAsync(args);
            result.ExitCode.ShouldBe(0, result.ToString());
        }

        float[] three = WavReader.Read(File.ReadAllBytes(renamed)).Samples;
        three.ShouldBe(WavReader.Read(File.ReadAllBytes(old)).Samples);
        three.ShouldNotBe(WavReader.Read(File.ReadAllBytes(single)).Samples, "three decode steps differ from one");
    }

    [Fact]
    public async Task Temperature_zero_is_deterministic_and_stdout_streams_the_same_audio()
    {
        string file = _host.PathOf("a.wav");
        CliResult toFile = await _host.RunAsync(Tiny("generate", "--text", "Hello world!", "--temperature", "0", "--output-path", file));
        CliResult toStdout = await _host.RunAsync(Tiny("generate", "--text", "-", "--temperature", "0", "--output-path", "-"), standardInput: "Hello world!");

        toFile.ExitCode.ShouldBe(0, toFile.ToString());
        toStdout.ExitCode.ShouldBe(0, toStdout.ToString());
        WavReader.Read(toStdout.StandardOutputBytes).Samples.ShouldBe(WavReader.Read(File.ReadAllBytes(file)).Samples);
    }

    [Fact]
    public async Task Export_voice_then_generate_with_the_exported_state()
    {
        string voice = _host.PathOf("ref.safetensors");
        CliResult export = await _host.RunAsync(["export-voice", Path.Combine(Infrastructure.RepoPaths.Root, "ref.wav"), voice, "--config", CliTestHost.TinyConfig, "-q"]);
        export.ExitCode.ShouldBe(0, export.ToString());
        File.Exists(voice).ShouldBeTrue();

        string output = _host.PathOf("cloned.wav");
        CliResult generate = await _host.RunAsync(["generate", "--text", "Hello.", "--voice", voice, "--config", CliTestHost.TinyConfig, "--output-path", output, "-q"]);
        generate.ExitCode.ShouldBe(0, generate.ToString());
        WavReader.Read(File.ReadAllBytes(output)).Samples.Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_training_checkpoint_of_the_same_weights_speaks_as_the_released_file()
    {
        // The fixture checkpoint's EMA laid over its model, plus Mimi from the configuration's weights, is the tiny model.
        string voice = _host.PathOf("ref.safetensors");
        (await _host.RunAsync(["export-voice", Path.Combine(Infrastructure.RepoPaths.Root, "ref.wav"), voice, "--config", CliTestHost.TinyConfig, "-q"])).ExitCode.ShouldBe(0);
        string released = _host.PathOf("released.wav"), trained = _host.PathOf("trained.wav");
        string checkpoint = Infrastructure.RepoPaths.Fixture("training_checkpoint.pt");

        CliResult a = await _host.RunAsync(["generate", "--text", "Hello.", "--voice", voice, "--config", CliTestHost.TinyConfig, "--temperature", "0", "--output-path", released, "-q"]);
        CliResult b = await _host.RunAsync(["generate", "--text", "Hello.", "--voice", voice, "--config", CliTestHost.TinyConfig, "--checkpoint", checkpoint, "--temperature", "0", "--output-path", trained, "-q"]);

        a.ExitCode.ShouldBe(0, a.ToString());
        b.ExitCode.ShouldBe(0, b.ToString());
        WavReader.Read(File.ReadAllBytes(trained)).Samples.ShouldBe(WavReader.Read(File.ReadAllBytes(released)).Samples);
        Directory.GetFiles(_host.PathOf(Path.Join("cache", "checkpoints")), "training_checkpoint-*.safetensors").Length.ShouldBe(1);
    }

    [Theory]
    [InlineData("alba", "a state precomputed with the released weights")]
    [InlineData("/nonexistent/run.pt", "--checkpoint '/nonexistent/run.pt': no such file (/nonexistent/run.pt).")]
    public async Task A_training_checkpoint_refuses_predefined_voices_and_missing_files(string voiceOrCheckpoint, string expected)
    {
        bool missing = voiceOrCheckpoint.EndsWith(".pt", StringComparison.Ordinal);
        string checkpoint = missing ? voiceOrCheckpoint : Infrastructure.RepoPaths.Fixture("training_checkpoint.pt");

        CliResult result = await _host.RunAsync(["generate", "--text", "Hello.", "--voice", missing ? Path.Combine(Infrastructure.RepoPaths.Root, "ref.wav") : voiceOrCheckpoint, "--config", CliTestHost.TinyConfig,
                                                 "--checkpoint", checkpoint, "--output-path", _host.PathOf("x.wav"), "-q"]);

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain(expected);
        result.Error.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData(new[] { "generate", "--text", "hi", "--language", "english", "--config", "x.yaml" }, "--language and --config cannot be used together")]
    [InlineData(new[] { "generate", "--text", "   " }, "No text to speak")]
    [InlineData(new[] { "generate", "--text", "hi", "--language", "klingon" }, "--language 'klingon' is not a built-in language")]
    [InlineData(new[] { "generate", "--text", "hi", "--config", "/nonexistent/model.yaml" }, "Config file not found")]
    [InlineData(new[] { "--backend", "quantum", "generate", "--text", "hi" }, "Backend 'quantum' is not installed")]
    [InlineData(new[] { "generate", "--text", "hi", "--device", "tpu" }, "Unknown --device 'tpu'")]
    public async Task User_errors_print_one_line_and_exit_non_zero(string[] args, string expected)
    {
        CliResult result = await _host.RunAsync(args);
        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain(expected);
        result.Error.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("stdout")]
    public async Task Pause_markers_and_natural_pauses_come_out_as_exact_silence(string target)
    {
        string[] args = Tiny("generate", "--text", "Hello, world. [pause:1.5s] Bye.", "--temperature", "0", "--natural-pauses", "--comma-pause-ms", "200", "--sentence-pause-ms", "400");
        string file = _host.PathOf("paused.wav");
        CliResult result = await _host.RunAsync([.. args, "--output-path", target == "file" ? file : "-"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        float[] samples = WavReader.Read(target == "file" ? File.ReadAllBytes(file) : result.StandardOutputBytes).Samples;
        // 200 ms after the comma; the marker's 1.5 s replaces the sentence pause next to it. In 16 bits the quietest
        // samples of the 10 ms fades round to zero too (exactness to the sample is tested in float, in tests/Parity).
        List<int> runs = ZeroRunLengths(samples);
        runs.Count.ShouldBe(2);
        runs[0].ShouldBeInRange(4800, 4800 + 480);
        runs[1].ShouldBeInRange(36000, 36000 + 480);
    }

    [Fact]
    public async Task By_default_only_the_markers_make_silence()
    {
        string file = _host.PathOf("plain.wav");
        CliResult result = await _host.RunAsync(Tiny("generate", "--text", "Hello, world. [pause] Bye.", "--temperature", "0", "--pause-ms", "250", "--output-path", file));

        result.ExitCode.ShouldBe(0, result.ToString());
        List<int> runs = ZeroRunLengths(WavReader.Read(File.ReadAllBytes(file)).Samples);
        runs.Count.ShouldBe(1);
        runs[0].ShouldBeInRange(6000, 6000 + 480);
    }

    [Fact]
    public async Task Plain_text_with_every_punctuation_mark_is_generated_as_the_reference_path_generates_it()
    {
        const string Text = "Well, here we are; at last: the end... Is it? Yes! \"Quoted\" (aside) - dash. It's done.\nNew line!";
        string plain = _host.PathOf("plain.wav"), literal = _host.PathOf("literal.wav");
        CliResult byDefault = await _host.RunAsync(Tiny("generate", "--text", Text, "--seed", "4", "--output-path", plain));
        CliResult reference = await _host.RunAsync(Tiny("generate", "--text", Text, "--seed", "4", "--no-normalize", "--output-path", literal));

        byDefault.ExitCode.ShouldBe(0, byDefault.ToString());
        reference.ExitCode.ShouldBe(0, reference.ToString());
        float[] samples = WavReader.Read(File.ReadAllBytes(plain)).Samples;
        samples.ShouldBe(WavReader.Read(File.ReadAllBytes(literal)).Samples);
        ZeroRunLengths(samples).ShouldBeEmpty("no silence is inserted at punctuation");
    }

    [Fact]
    public async Task Normalize_language_normalises_a_config_model_s_text_in_that_language()
    {
        // A --config model has no language, so its text is spoken as written unless a language is given.
        string normalised = _host.PathOf("normalised.wav"), written = _host.PathOf("written.wav");
        CliResult french = await _host.RunAsync(Tiny("generate", "--text", "J'ai 3 chats.", "--normalize-language", "french", "--seed", "4", "--output-path", normalised));
        CliResult words = await _host.RunAsync(Tiny("generate", "--text", "J'ai trois chats.", "--seed", "4", "--output-path", written));

        french.ExitCode.ShouldBe(0, french.ToString());
        words.ExitCode.ShouldBe(0, words.ToString());
        WavReader.Read(File.ReadAllBytes(normalised)).Samples.ShouldBe(WavReader.Read(File.ReadAllBytes(written)).Samples);
    }

    [Theory]
    [InlineData("Hello [pause:fast] there.", new string[0], "Malformed pause marker \"[pause:fast]\" at line 1, column 7")]
    [InlineData("Hello.", new[] { "--comma-pause-ms", "-5" }, "--comma-pause-ms '-5': must be ≥ 0")]
    [InlineData("Hello.", new[] { "--max-pause-ms", "120000" }, "--max-pause-ms '120000': must be > 0 and at most 60 s")]
    public async Task Bad_pauses_are_one_line_errors_and_write_nothing(string text, string[] extra, string expected)
    {
        string file = _host.PathOf("bad.wav");
        CliResult result = await _host.RunAsync([.. Tiny("generate", "--text", text, "--output-path", file), .. extra]);

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain(expected);
        result.Error.ShouldNotContain("   at ");
        File.Exists(file).ShouldBeFalse();
    }

    private static List<int> ZeroRunLengths(float[] samples)
    {
        var runs = new List<int>();
        for (int i = 0; i < samples.Length; i++)
        {
            int start = i;
            while (i < samples.Length && samples[i] == 0f)
                i++;
            if (i - start >= 100)
                runs.Add(i - start);
        }
        return runs;
    }

    [Fact]
    public async Task A_missing_or_corrupt_voice_file_is_a_one_line_error()
    {
        string corrupt = _host.PathOf("corrupt.wav");
        await File.WriteAllTextAsync(corrupt, "not audio");
        CliResult missing = await _host.RunAsync(["generate", "--text", "hi", "--config", CliTestHost.TinyConfig, "--voice", _host.PathOf("none.wav"), "-q"]);
        CliResult bad = await _host.RunAsync(["generate", "--text", "hi", "--config", CliTestHost.TinyConfig, "--voice", corrupt, "-q", "--output-path", _host.PathOf("o.wav")]);

        missing.ExitCode.ShouldBe(1);
        missing.Error.ShouldStartWith($"error: --voice '{_host.PathOf("none.wav")}': no such file");
        bad.ExitCode.ShouldBe(1);
        bad.Error.ShouldContain("unrecognised audio format");
        File.Exists(_host.PathOf("o.wav")).ShouldBeFalse();
    }

    [Fact]
    public async Task Voices_lists_the_26_predefined_voices()
    {
        CliResult result = await _host.RunAsync(["voices"]);
        result.ExitCode.ShouldBe(0);
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(27);
        result.Output.ShouldContain("alba");
        result.Output.ShouldContain("estelle          french");
    }

    [Fact]
    public async Task Every_command_has_help_with_examples_and_the_version_is_printed()
    {
        foreach (string command in new[] { "generate", "export-voice", "voices", "download", "backends" })
        {
            CliResult help = await _host.RunAsync([command, "--help"]);
            help.ExitCode.ShouldBe(0);
            help.Output.ShouldContain("Example", Case.Insensitive, command);
        }
        (await _host.RunAsync(["--version"])).Output.ShouldNotBeNullOrWhiteSpace();
    }
}
