using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PocketTts.Host.Bench;
using PocketTts.Tests.Unit.Plugins;

namespace PocketTts.Tests.Unit.Cli;

[Collection(TestPluginGroup.Name)]
public sealed class BenchCommandTests(TestPluginBuilds builds) : IDisposable
{
    private static readonly string[] Fields = ["flow_step_ms", "mimi_frame_ms", "rtf", "first_chunk_ms", "peak_working_set_mb", "load_ms", "voice_prompt_ms", "text_prompt_ms"];
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Bench_runs_the_full_size_model_and_writes_every_documented_field()
    {
        string json = _host.PathOf("bench.json");
        CliResult result = await _host.RunAsync(["bench", "--frames", "2", "--text-tokens", "4", "--voice-seconds", "1", "--repeat", "1", "--json", json]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("109.5M parameters");
        result.Output.ShouldContain("peak working set: of this process");
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement run = doc.RootElement.EnumerateArray().ShouldHaveSingleItem();
        run.GetProperty("backend").GetString().ShouldBe("managed");
        run.GetProperty("quantized").GetBoolean().ShouldBeFalse();
        foreach (string field in Fields)
            run.GetProperty(field).GetDouble().ShouldBeGreaterThan(0, field);
        run.GetProperty("threads").GetInt32().ShouldBe(0);
        result.Output.ShouldContain("\nCPU: ");
        result.Output.ShouldContain($"\nmanaged kernels: {run.GetProperty("kernels").GetString()}\n");
        result.Output.ShouldContain("\nmanaged peak on ");
        result.Output.ShouldContain("\n  GB/s of peak ");
        JsonElement peak = run.GetProperty("peak");
        foreach (string field in new[] { "fma_gflops", "read_gb_per_s", "read_buffer_mb" })
            peak.GetProperty(field).GetDouble().ShouldBeGreaterThan(0, field);
        JsonElement work = run.GetProperty("work");
        foreach (string field in new[] { "voice_prompt_multiply_adds", "text_prompt_multiply_adds", "mimi_frame_multiply_adds", "flow_step_bytes" })
            work.GetProperty(field).GetDouble().ShouldBeGreaterThan(0, field);
    }

    [Fact]
    public async Task Streams_run_at_once_and_report_the_slowest_streams_real_time_factor()
    {
        string json = _host.PathOf("bench.json");
        CliResult result = await _host.RunAsync(["bench", "--frames", "2", "--text-tokens", "4", "--voice-seconds", "1", "--repeat", "1", "--streams", "3", "--json", json]);

        result.ExitCode.ShouldBe(0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement streams = doc.RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("streams");
        streams.GetProperty("count").GetInt32().ShouldBe(3);
        double slowest = streams.GetProperty("slowest_rtf").GetDouble(), median = streams.GetProperty("median_rtf").GetDouble();
        slowest.ShouldBeGreaterThan(0);
        slowest.ShouldBeLessThanOrEqualTo(median);
        streams.GetProperty("first_chunk_ms_median").GetDouble().ShouldBeGreaterThan(0);
        streams.GetProperty("first_chunk_ms_max").GetDouble().ShouldBeGreaterThanOrEqualTo(streams.GetProperty("first_chunk_ms_median").GetDouble());
        result.Output.ShouldMatch(@"\n3 streams RTF +slowest [0-9.]+×, median [0-9.]+×\n");
        (await _host.RunAsync(["bench", "--streams", "0"])).Error.ShouldContain("and --streams must be ≥ 1");
    }

    [Fact]
    public async Task Text_that_arrives_word_by_word_is_measured_chunk_by_chunk()
    {
        string json = _host.PathOf("bench.json");
        CliResult result = await _host.RunAsync(["bench", "--frames", "2", "--text-tokens", "4", "--voice-seconds", "1", "--repeat", "1", "--text-stream", "--json", json]);

        result.ExitCode.ShouldBe(0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement stream = doc.RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("text_stream");
        // Six sentences of 20 one-token words and a full stop: two fill a 50-token chunk, so three chunks a run.
        stream.GetProperty("chunks").GetInt32().ShouldBe(3);
        // The first chunk (sentences one and two) is known to be whole once the third sentence ends: 40 words, 1 s at
        // 40 words/s, after the first.
        stream.GetProperty("first_chunk_ms_p50").GetDouble().ShouldBeGreaterThan(975);
        stream.GetProperty("first_chunk_ms_p95").GetDouble().ShouldBeGreaterThanOrEqualTo(stream.GetProperty("first_chunk_ms_p50").GetDouble());
        stream.GetProperty("later_chunk_ms_p50").GetDouble().ShouldBeGreaterThan(0);
        result.Output.ShouldMatch(@"\ntext stream 1st ms +p50 [0-9]+, p95 [0-9]+\n");
    }

    [Fact]
    public async Task Bench_quantize_runs_int8_and_reports_its_quality_against_float32()
    {
        string json = _host.PathOf("bench.json");
        CliResult result = await _host.RunAsync(["bench", "--quantize", "--frames", "2", "--text-tokens", "4", "--voice-seconds", "1", "--repeat", "1", "--json", json]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("managed int8");
        result.Output.ShouldContain("int8 SNR dB");
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement run = doc.RootElement.EnumerateArray().ShouldHaveSingleItem();
        run.GetProperty("quantized").GetBoolean().ShouldBeTrue();
        JsonElement snr = run.GetProperty("int8_snr_db");
        foreach (string stage in new[] { "latent", "hidden", "audio" })
            snr.GetProperty(stage).GetDouble().ShouldBeInRange(20, 90, stage);
    }

    [Fact]
    public async Task Several_backends_run_side_by_side_each_in_a_child_process_of_its_own()
    {
        string json = _host.PathOf("bench.json");
        CliResult result = await _host.RunAsync(["--backend", "managed, managed", "bench", "--frames", "2", "--text-tokens", "4", "--voice-seconds", "1", "--repeat", "1", "--threads", "1", "--json", json]);

        result.ExitCode.ShouldBe(0, result.ToString());
        Regex.Matches(result.Error, @"bench: managed in child process (\d+)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Distinct().Where(id => id != Environment.ProcessId).Count().ShouldBe(2, result.Error);
        string[] lines = result.Output.Split('\n');
        lines.ShouldContain(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(new[] { "managed", "managed" }));
        lines.ShouldContain(l => l.StartsWith("FlowLM step ms", StringComparison.Ordinal) && l.Split('(').Length == 3);
        // Each child measured its own peak, and each column has its rate.
        lines.Count(l => l.StartsWith("managed peak on 1 thread(s): ", StringComparison.Ordinal)).ShouldBe(2);
        lines.ShouldContain(l => l.StartsWith("  GB/s of peak", StringComparison.Ordinal) && l.Split('(').Length == 3);
        result.Output.ShouldContain("one process per backend");
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        doc.RootElement.GetArrayLength().ShouldBe(2);
        foreach (JsonElement run in doc.RootElement.EnumerateArray())
        {
            run.GetProperty("backend").GetString().ShouldBe("managed");
            run.GetProperty("threads").GetInt32().ShouldBe(1);
            foreach (string field in Fields)
                run.GetProperty(field).GetDouble().ShouldBeGreaterThan(0, field);
        }
    }

    [Fact]
    public async Task A_backend_that_cannot_run_stops_the_bench_before_anything_is_measured()
    {
        string root = builds.NewPluginsRoot(builds.FaultyOutput, "faulty");

        CliResult result = await _host.RunAsync(["--backend", "managed,test-backend", "--plugins-dir", root, "bench", "--frames", "2", "--json", _host.PathOf("bench.json")]);

        result.ExitCode.ShouldBe(Host.Cli.CliErrors.Unsupported);
        result.Error.ShouldContain("Backend 'test-backend' is not available here: test plugin: no kernels");
        result.Output.ShouldBeEmpty();
        File.Exists(_host.PathOf("bench.json")).ShouldBeFalse();
        (await _host.RunAsync(["--backend", "managed,nonesuch", "bench"])).Error.ShouldContain("Backend 'nonesuch' is not installed (installed: managed");
    }

    [Fact]
    public void A_child_gets_the_same_settings_for_its_one_backend()
    {
        var settings = new BenchSettings(Frames: 50, TextTokens: 40, Repetitions: 3, Threads: 2);

        BenchChildProcess.Arguments("onnx", settings, quantize: false, ["/a", "/b"], "/tmp/r.json").ShouldBe(
            ["bench", "--backend", "onnx", "--frames", "50", "--text-tokens", "40", "--voice-seconds", "5", "--repeat", "3", "--threads", "2", "--streams", "1",
             "--json", "/tmp/r.json", "--language", "english", "--plugins-dir", "/a", "--plugins-dir", "/b"]);
        BenchChildProcess.Arguments("onnx", settings, quantize: true, [], "r.json").ShouldContain("--quantize");
        string.Join(' ', BenchChildProcess.Arguments("onnx", settings with { Streams = 3 }, quantize: false, [], "r.json")).ShouldContain("--streams 3");
        BenchChildProcess.Arguments("onnx", settings with { TextStream = true }, quantize: false, [], "r.json").ShouldContain("--text-stream");
        var sampling = new PocketTts.Generation.GenerationOptions { Temperature = 0.7f, LsdDecodeSteps = 4, NoiseClamp = 2.5f };
        string[] sampled = [.. BenchChildProcess.Arguments("onnx", settings with { Sampling = sampling }, quantize: false, [], "r.json")];
        string.Join(' ', sampled).ShouldContain("--sampler-decode-steps 4 --temperature 0.7 --noise-clamp 2.5");
        string yaml = _host.PathOf("mine.yaml");
        File.WriteAllText(yaml, PocketTts.Config.ModelConfigLoader.ReadLanguageYaml("english_2026-09"));
        BenchChildProcess.Arguments("onnx", settings with { Model = BenchModel.Resolve(null, yaml) }, quantize: false, [], "r.json")
            .ShouldContain(a => a == yaml);
    }

    [Fact]
    public async Task Bench_measures_the_model_of_a_language()
    {
        CliResult result = await _host.RunAsync(["bench", "--language", "english_drifting_26_09", "--frames", "2", "--text-tokens", "4", "--voice-seconds", "1", "--repeat", "1"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("full-size english_drifting_26_09 model, 108.7M parameters");
        (await _host.RunAsync(["bench", "--language", "english", "--config", "x.yaml"])).Error.ShouldContain("--language and --config are exclusive");
    }

    [Fact]
    public async Task Bad_settings_are_rejected()
    {
        (await _host.RunAsync(["bench", "--frames", "0"])).Error.ShouldContain("must be ≥ 1");
        (await _host.RunAsync(["bench", "--threads", "999"])).Error.ShouldContain("exceeds the");
        (await _host.RunAsync(["bench", "--voice-seconds", "0"])).Error.ShouldContain("--voice-seconds 0 is out of range");
        (await _host.RunAsync(["--backend", " , ", "bench"])).Error.ShouldContain("--backend names no backend");
    }
}
