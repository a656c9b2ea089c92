using System.CommandLine;
using PocketTts.Host.Models;

namespace PocketTts.Host.Cli;

/// <summary>Options shared by every command that loads a model.</summary>
internal static class ModelCliOptions
{
    public static readonly Option<string?> Language = new("--language")
    {
        Description = "Built-in model: english (default), english_2026-01, english_2026-04, english_2026-09, english_2026-09_24l, english_drifting_26_09, dutch, french_24l, german, german_24l, italian, italian_24l, portuguese, portuguese_24l, spanish, spanish_24l. Exclusive with --config.",
    };

    public static readonly Option<string?> Config = new("--config") { Description = "A model configuration YAML file (the reference's schema). Exclusive with --language." };

    public static readonly Option<bool> Quantize = new("--quantize") { Description = "Quantize the FlowLM transformer to int8 at load (smaller, faster)." };

    public static readonly Option<string?> OnnxGraphs = new("--onnx-graphs")
    {
        Description = "A folder written by export-onnx, for --backend onnx/onnx-cuda to load instead of exporting the graphs from the weights.",
    };

    public static readonly Option<string?> Checkpoint = new("--checkpoint")
    {
        Description = "A training checkpoint (.pt) to load instead of the configuration's weights: its EMA weights where it has them, Mimi from the released weights when training froze it. Predefined voices do not fit such weights: give --voice a recording.",
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print only errors." };

    public static readonly Option<string> Device = new("--device")
    {
        Description = "cpu or cuda: cuda picks the CUDA flavour of the backend (onnx → onnx-cuda, torch → torch-cuda).",
        DefaultValueFactory = _ => "cpu",
    };

    public static readonly Option<int> Threads = new Option<int>("--threads") { Description = "Threads per operation (0 = one per core).", DefaultValueFactory = _ => 0 }
        .AtLeast(0, " (0 = one per core)");

    public static ModelOptions Read(ParseResult parse)
    {
        string backend = BackendForDevice(parse.GetValue(GlobalOptions.Backend) ?? "managed", parse.GetValue(Device) ?? "cpu");
        return new ModelOptions(parse.GetValue(Language), parse.GetValue(Config), parse.GetValue(Quantize), backend,
                                parse.GetResult(Threads) is null ? 0 : parse.GetValue(Threads), parse.GetResult(OnnxGraphs) is null ? null : parse.GetValue(OnnxGraphs),
                                parse.GetResult(Checkpoint) is null ? null : parse.GetValue(Checkpoint));
    }

    /// <summary>Maps --device onto backend names, so the reference's <c>--device cuda</c> keeps working.</summary>
    internal static string BackendForDevice(string backend, string device) => device.ToLowerInvariant() switch
    {
        "cpu" => backend,
        "cuda" or "gpu" => backend switch
        {
            "onnx" or "onnx-cuda" => "onnx-cuda",
            "torch" or "torch-cuda" => "torch-cuda",
            "managed" => throw new UsageException("--device cuda needs a GPU backend: add --backend onnx (onnx-cuda) or --backend torch (torch-cuda); the managed backend runs on the CPU."),
            _ => backend,
        },
        _ => throw new UsageException($"Unknown --device '{device}': use cpu or cuda."),
    };
}
