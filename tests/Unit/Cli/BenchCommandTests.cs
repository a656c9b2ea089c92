using System.Text.Json;

namespace PocketTts.Tests.Unit.Cli;

public sealed class BenchCommandTests : IDisposable
{
    private readonly CliTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Bench_runs_the_full_size_model_and_writes_every_documented_field()
    {
        string json = _host.PathOf("bench.json");
        CliResult result = await _host.RunAsync(["bench", "--frames", "2", "--text-tokens", "4", "--repeat", "1", "--json", json]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("109.5M parameters");
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement run = doc.RootElement.EnumerateArray().ShouldHaveSingleItem();
        run.GetProperty("backend").GetString().ShouldBe("managed");
        run.GetProperty("quantized").GetBoolean().ShouldBeFalse();
        foreach (string field in new[] { "flow_step_ms", "mimi_frame_ms", "rtf", "first_chunk_ms", "peak_working_set_mb", "load_ms", "voice_prompt_ms", "text_prompt_ms" })
            run.GetProperty(field).GetDouble().ShouldBeGreaterThan(0, field);
        run.GetProperty("threads").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Bad_settings_are_rejected()
    {
        (await _host.RunAsync(["bench", "--frames", "0"])).Error.ShouldContain("must be ≥ 1");
        (await _host.RunAsync(["bench", "--threads", "999"])).Error.ShouldContain("exceeds the");
    }
}
