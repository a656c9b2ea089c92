using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Cli;
using PocketTts.Host.Plugins;
using PocketTts.Weights;

namespace PocketTts.Host.Bench;

/// <summary><c>pocket-tts bench</c>: speed and memory of the full-size model on one or more backends, side by side.</summary>
internal static class BenchCommand
{
    private static readonly Option<int> Frames = new("--frames") { Description = "Frames generated per measurement (80 ms each; end of speech is ignored).", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> TextTokens = new("--text-tokens") { Description = "Tokens of the text prompt.", DefaultValueFactory = _ => 40 };
    private static readonly Option<int> Repeat = new("--repeat") { Description = "Measured repetitions after one warm-up round.", DefaultValueFactory = _ => 3 };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the results as JSON to this file." };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var command = new Command("bench", """
            Measure the full-size english model (109.5M parameters; random weights with the real architecture) on one or
            more backends: load, voice prompt (5 s of audio), text prompt, FlowLM step and Mimi frame, first audio chunk,
            real-time factor of the pipeline, peak working set. Medians over repetitions, with min–max.

            Examples:
              pocket-tts bench
              pocket-tts bench --backend managed --threads 1 --frames 50 --json bench.json
            """);
        foreach (Option option in new Option[] { Frames, TextTokens, Repeat, ModelCliOptions.Threads, ModelCliOptions.Quantize, Json })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, services => Task.FromResult(Run(parse, context, services)), cancellationToken));
        return command;
    }

    private static int Run(ParseResult parse, CliContext context, IServiceProvider services)
    {
        if (parse.GetValue(ModelCliOptions.Quantize))
            throw new UsageException("int8 quantization (--quantize) is not available yet.");
        int threads = parse.GetValue(ModelCliOptions.Threads);
        var settings = new BenchSettings(parse.GetValue(Frames), parse.GetValue(TextTokens), parse.GetValue(Repeat), threads);
        if (settings.Frames < 1 || settings.TextTokens < 1 || settings.Repetitions < 1 || threads < 0)
            throw new UsageException("--frames, --text-tokens and --repeat must be ≥ 1 and --threads ≥ 0.");
        if (threads > 0)
        {
            // One thread means one core: the whole process (FlowLM, Mimi and the pipeline between them) is pinned.
            if (threads > Environment.ProcessorCount)
                throw new UsageException($"--threads {threads} exceeds the {Environment.ProcessorCount} cores of this machine.");
            if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
                Process.GetCurrentProcess().ProcessorAffinity = (nint)((1L << threads) - 1);
        }

        var catalog = services.GetRequiredService<BackendCatalog>();
        string[] backends = (parse.GetValue(GlobalOptions.Backend) ?? "managed").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        InMemoryWeights weights = SyntheticWeights.FromEmbeddedManifest("english", seed: 1);
        var results = new List<BenchResult>();
        foreach (string name in backends)
        {
            using IBackend backend = catalog.Create(name, new BackendOptions { Threads = threads });
            BenchResult result = BenchRunner.Run(backend, weights, settings);
            results.Add(result);
        }

        context.Output.WriteLine($"full-size english model, {results[0].Parameters / 1e6:F1}M parameters, {settings.Frames} frames, {settings.TextTokens} text tokens, " +
                                 $"{(threads == 0 ? Environment.ProcessorCount : threads)} core(s), median (min–max) of {settings.Repetitions}");
        context.Output.WriteLine($"{"backend",-10} {"load ms",9} {"voice ms",22} {"text ms",22} {"flow step ms",22} {"mimi frame ms",22} {"first chunk ms",22} {"RTF",18} {"peak MB",8}");
        foreach (BenchResult r in results)
        {
            context.Output.WriteLine($"{r.Backend,-10} {r.LoadMs,9:F0} {r.Spread["voice_prompt_ms"],22} {r.Spread["text_prompt_ms"],22} {r.Spread["flow_step_ms"],22} " +
                                     $"{r.Spread["mimi_frame_ms"],22} {r.Spread["first_chunk_ms"],22} {r.Spread["rtf"].Median,7:F2} ({r.Spread["rtf"].Min:F2}–{r.Spread["rtf"].Max:F2}) {r.PeakWorkingSetMb,8:F0}");
        }
        if (parse.GetValue(Json) is { } path)
            File.WriteAllText(path, JsonSerializer.Serialize(results, Indented));
        return 0;
    }
}
