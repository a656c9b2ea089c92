using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Generation;
using PocketTts.Host.Cli;
using PocketTts.Host.Plugins;

namespace PocketTts.Host.Bench;

/// <summary>
/// <c>pocket-tts bench</c>: speed and memory of the full-size model on one or more backends, side by side. One
/// backend is measured in this process; several are measured one after another, each in a child process of its
/// own, so that every peak working set belongs to one backend alone.
/// </summary>
internal static class BenchCommand
{
    private static readonly Option<int> Frames = new("--frames") { Description = "Frames generated per measurement (80 ms each; end of speech is ignored).", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> TextTokens = new("--text-tokens") { Description = "Tokens of the text prompt.", DefaultValueFactory = _ => 40 };
    private static readonly Option<double> VoiceSeconds = new("--voice-seconds") { Description = "Seconds of audio encoded for the voice prompt.", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> Repeat = new("--repeat") { Description = "Measured repetitions after one warm-up round.", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> Streams = new("--streams")
    {
        Description = "Also run this many generations at once on the same cores, as concurrent server clients do, and report the slowest stream's real-time factor.",
        DefaultValueFactory = _ => 1,
    };
    private static readonly Option<bool> TextStream = new("--text-stream")
    {
        Description = $"Also measure speech from text that is still arriving: sentences of {TextStreamLatency.WordsPerSentence} words written at {TextStreamLatency.WordsPerSecond} words/s; " +
                      "each text chunk (about --frames frames of speech) measured from its first sentence's end to its first audio (p50, p95; the first chunk, then the later ones).",
    };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the results as JSON to this file: an array with one object per backend." };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var command = new Command("bench", """
            Measure a full-size model (default english, 109.5M parameters; --language or a local --config file for another:
            random weights with the real architecture of its configuration) on one or more backends: load, voice prompt (5 s of audio), text prompt, FlowLM step and Mimi frame, first audio chunk,
            real-time factor of the pipeline, peak working set: the library's own load and generation, with
            the sampling options given (temperature, decode steps, noise clamp) and end of speech ignored. Medians over repetitions, with min–max. Several
            backends (--backend a,b) are measured one after another, each in a child process of its own, and shown
            side by side. It also prints the CPU, the kernels each backend ran, this machine's FMA and read-bandwidth
            peaks at their vector width, and under each stage its GFLOP/s or GB/s against that peak
            (docs/performance.md, "Reading bench's rates").

            Examples:
              pocket-tts bench
              pocket-tts bench --backend managed --threads 1 --frames 50 --json bench.json
              pocket-tts bench --backend managed,onnx --threads 2
              pocket-tts bench --threads 1 --streams 3        # can one core serve three real-time streams?
              pocket-tts bench --text-stream                  # latency of speech from text a language model is writing
              pocket-tts bench --language english_drifting_26_09 --threads 1
            """);
        Option[] sampling = [GenerationCliOptions.LsdDecodeSteps, GenerationCliOptions.Temperature, GenerationCliOptions.NoiseClamp];
        foreach (Option option in new Option[] { ModelCliOptions.Language, ModelCliOptions.Config, Frames, TextTokens, VoiceSeconds, Repeat, ModelCliOptions.Threads, ModelCliOptions.Quantize, Streams, TextStream, Json }.Concat(sampling))
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, services => RunAsync(parse, context, services, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        bool quantize = parse.GetValue(ModelCliOptions.Quantize);
        int threads = parse.GetValue(ModelCliOptions.Threads);
        var settings = new BenchSettings(parse.GetValue(Frames), parse.GetValue(TextTokens), parse.GetValue(Repeat), threads, parse.GetValue(VoiceSeconds))
        {
            Model = BenchModel.Resolve(parse.GetValue(ModelCliOptions.Language), parse.GetValue(ModelCliOptions.Config)),
            Streams = parse.GetValue(Streams),
            TextStream = parse.GetValue(TextStream),
            Sampling = new GenerationOptions
            {
                LsdDecodeSteps = parse.GetValue(GenerationCliOptions.LsdDecodeSteps),
                Temperature = parse.GetValue(GenerationCliOptions.Temperature),
                NoiseClamp = parse.GetValue(GenerationCliOptions.NoiseClamp),
            },
        };
        if (settings.Frames < 1 || settings.TextTokens < 1 || settings.Repetitions < 1 || settings.Streams < 1 || threads < 0)
            throw new UsageException("--frames, --text-tokens, --repeat and --streams must be ≥ 1 and --threads ≥ 0.");
        if (!(settings.VoiceSeconds >= 0.1 && settings.VoiceSeconds <= 60))
            throw new UsageException($"--voice-seconds {settings.VoiceSeconds} is out of range: give 0.1 to 60 seconds.");
        if (threads > Environment.ProcessorCount)
            throw new UsageException($"--threads {threads} exceeds the {Environment.ProcessorCount} cores of this machine.");
        string[] backends = (parse.GetValue(GlobalOptions.Backend) ?? "managed").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (backends.Length == 0)
            throw new UsageException("--backend names no backend: give one or more names separated by commas, e.g. managed,onnx.");

        // Every backend must be able to run before minutes are spent measuring the first ones.
        var catalog = services.GetRequiredService<BackendCatalog>();
        foreach (string name in backends)
            catalog.Require(name);

        var runs = new List<BackendRun>();
        if (backends.Length == 1)
        {
            runs.Add(new BackendRun(backends[0], RunHere(catalog, backends[0], settings, quantize), null));
        }
        else
        {
            IReadOnlyList<string> pluginRoots = PluginSearchPath.Resolve(parse.GetValue(GlobalOptions.PluginsDir) ?? [], context.GetEnvironment);
            foreach (string name in backends)
                runs.Add(await BenchChildProcess.RunAsync(name, settings, quantize, pluginRoots, message => context.Log(parse, message), cancellationToken));
        }

        BenchResult[] results = [.. runs.Where(r => r.Result is not null).Select(r => r.Result!)];
        if (results.Length > 0)
            BenchTable.Write(context.Output, results, settings, separateProcesses: backends.Length > 1, CpuIdentity.Current());
        foreach (BackendRun failed in runs.Where(r => r.Result is null))
            await context.Error.WriteLineAsync($"error: bench of backend '{failed.Backend}' failed: {failed.Error}");
        if (parse.GetValue(Json) is { } path)
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Indented), cancellationToken);
        return results.Length == runs.Count ? 0 : 1;
    }

    /// <summary>Measures one backend in this process.</summary>
    private static BenchResult RunHere(BackendCatalog catalog, string name, BenchSettings settings, bool quantize)
    {
        // One thread means one core: the whole process (FlowLM, Mimi and the pipeline between them) is pinned.
        if (settings.Threads > 0)
            CpuAffinity.Pin(settings.Threads);
        SyntheticWeights weights = SyntheticWeights.FromConfig(settings.Model.Config, seed: 1);
        var options = new BackendOptions { Threads = settings.Threads, CacheDirectory = Path.Combine(BenchRunner.Folder, name) };
        return BenchRunner.Run(() => catalog.Create(name, options), weights, settings, quantize);
    }
}
