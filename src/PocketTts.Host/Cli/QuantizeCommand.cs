using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PocketTts.Weights;

namespace PocketTts.Host.Cli;

/// <summary>
/// <c>pocket-tts quantize</c>: writes a model file whose chosen linear layers are int8 with per-output-channel scales
/// (see <see cref="WeightQuantizer.QuantizeModel"/>); every command that loads a model accepts it.
/// </summary>
internal static class QuantizeCommand
{
    private static readonly Dictionary<string, QuantizationGroups> GroupNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["attention"] = QuantizationGroups.Attention,
        ["ffn"] = QuantizationGroups.Ffn,
        ["flow_net"] = QuantizationGroups.FlowNet,
    };

    private static readonly Option<string> Input = new("--input") { Description = "The float model (.safetensors, the published or a raw training layout).", Required = true };
    private static readonly Option<string> Output = new("--output") { Description = "The int8 model to write.", Required = true };
    private static readonly Option<string> Layers = new("--layers")
    {
        Description = "Comma-separated layer groups of FlowLM to convert: attention, ffn, flow_net. Mimi stays float.",
        DefaultValueFactory = _ => "attention,ffn",
    };

    public static Command Create(CliContext context)
    {
        var command = new Command("quantize", """
            Write an int8 copy of a model: the chosen FlowLM linear layers become I8 tensors with a float32 scale per
            output channel (<name>_scale); everything else is kept as it is. The file loads wherever a model does.

            Examples:
              pocket-tts quantize --input model.safetensors --output model_int8.safetensors
              pocket-tts quantize --input model.safetensors --output model_int8.safetensors --layers attention,ffn,flow_net
            """);
        foreach (Option option in new Option[] { Input, Output, Layers, ModelCliOptions.Quiet })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async _ =>
        {
            string input = parse.GetValue(Input)!, output = parse.GetValue(Output)!;
            QuantizationGroups groups = ParseGroups(parse.GetValue(Layers)!);
            var stopwatch = Stopwatch.StartNew();
            await TerminalStatus.RunAsync(context.Error, parse.GetValue(ModelCliOptions.Quiet), $"Quantizing {input}…", _ => Task.Run(() =>
            {
                using (SafeTensorsFile model = SafeTensorsFile.Open(input))
                    WeightQuantizer.QuantizeModel(CheckpointMapping.ToModelLayout(model), groups, model.Metadata).Save(output);
                return 0;
            }, cancellationToken), _ => string.Create(CultureInfo.InvariantCulture, $"Quantized in {stopwatch.Elapsed.TotalSeconds:F1} s"));
            long before = new FileInfo(input).Length, after = new FileInfo(output).Length;
            context.Log(parse, string.Create(CultureInfo.InvariantCulture,
                $"{output}: {string.Join(", ", groups.Names())} in int8, {before / 1e6:F1} MB → {after / 1e6:F1} MB"));
            return 0;
        }, cancellationToken));
        return command;
    }

    internal static QuantizationGroups ParseGroups(string layers)
    {
        var groups = QuantizationGroups.None;
        foreach (string name in layers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!GroupNames.TryGetValue(name, out QuantizationGroups group))
                throw new UsageException($"Unknown layer group '{name}' in --layers: use attention, ffn, flow_net (comma-separated).");
            groups |= group;
        }
        return groups == QuantizationGroups.None
            ? throw new UsageException("--layers names no layer group: use attention, ffn, flow_net (comma-separated).")
            : groups;
    }
}
