using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Models;
using PocketTts.Host.Plugins;
using PocketTts.Hub;
using PocketTts.Model.Graphs;

namespace PocketTts.Host.Cli;

/// <summary>
/// <c>pocket-tts export-onnx</c>: writes the model's stage graphs and their manifest with the onnx plugin's exporter
/// (the graphs are recorded from the engine's own model definition), for <c>--backend onnx</c> to load from the folder.
/// </summary>
internal static class ExportOnnxCommand
{
    private static readonly Option<string> Output = new("--output", "-o") { Description = "The folder to write the graphs and manifest.json into.", Required = true };
    private static readonly Option<bool> Int8 = new("--int8") { Description = "Export the FlowLM transformer's linear layers in int8 (DynamicQuantizeLinear + MatMulInteger)." };

    public static Command Create(CliContext context)
    {
        var command = new Command("export-onnx", """
            Export the model's stage graphs to ONNX: text_conditioner, flow_lm_voice, flow_lm_main (prompts and steps,
            with KV-cache inputs and outputs), flow_net, mimi_encoder_first/mimi_encoder and mimi_decoder (with their
            streaming state), and manifest.json. Load the folder with --backend onnx --onnx-graphs DIR.

            Examples:
              pocket-tts export-onnx --language english --output pocket-tts-onnx
              pocket-tts export-onnx --config my_model.yaml --output onnx-int8 --int8
            """);
        foreach (Option option in new Option[] { Output, Int8, ModelCliOptions.Language, ModelCliOptions.Config, ModelCliOptions.Quiet })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async services =>
        {
            string directory = Path.GetFullPath(parse.GetValue(Output)!);
            var options = new ModelOptions(parse.GetValue(ModelCliOptions.Language), parse.GetValue(ModelCliOptions.Config), parse.GetValue(Int8), "onnx", 0);
            bool quiet = parse.GetValue(ModelCliOptions.Quiet);
            ResolvedModel resolved = await DownloadProgressDisplay.RunAsync(context.Error, quiet,
                progress => services.GetRequiredService<ModelLoader>().ResolveFilesAsync(options, progress, cancellationToken));
            string exporterName = parse.GetValue(GlobalOptions.Backend) is { } chosen && chosen.StartsWith("onnx", StringComparison.Ordinal) ? chosen : "onnx";
            using IBackend backend = services.GetRequiredService<BackendCatalog>().Create(exporterName, new BackendOptions());
            if (backend is not IGraphExporter exporter)
                throw new UsageException($"Backend '{exporterName}' cannot export graphs.");
            var source = new ModelSource(resolved.ConfigPath, resolved.Files.WeightsPath, resolved.Files.TokenizerPath, options.Quantize) { Language = resolved.Language };
            IReadOnlyList<string> files = await Task.Run(() => exporter.Export(source, ModelDefinition.Instance, directory, cancellationToken), cancellationToken);
            long bytes = files.Sum(f => new FileInfo(f).Length);
            context.Log(parse, $"{directory}: {files.Count} files, {bytes / 1e6:F1} MB{(options.Quantize ? " (FlowLM int8)" : "")}");
            return 0;
        }, cancellationToken));
        return command;
    }
}
