namespace PocketTts.Host.Models;

/// <summary>Which model to load and on which backend, as the CLI and the server take it.</summary>
/// <param name="Language">A built-in language configuration (default english); exclusive with <paramref name="ConfigPath"/>.</param>
/// <param name="ConfigPath">A YAML configuration file.</param>
/// <param name="Quantize">Quantize the FlowLM transformer to int8 at load.</param>
/// <param name="Backend">Backend name.</param>
/// <param name="Threads">Threads per operation; 0 = one per core.</param>
/// <param name="GraphsDirectory">A folder of exported ONNX graphs for a graph backend, instead of exporting from the weights.</param>
/// <param name="CheckpointPath">A training checkpoint (.pt) to load instead of the configuration's weights.</param>
internal sealed record ModelOptions(string? Language, string? ConfigPath, bool Quantize, string Backend, int Threads = 0, string? GraphsDirectory = null,
                                    string? CheckpointPath = null)
{
    public const string DefaultLanguage = "english";
}
