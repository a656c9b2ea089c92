using PocketTts.Graphs;

namespace PocketTts.Backends;

/// <summary>
/// A backend that runs graphs exported from the engine's model definition and can write them to a folder for
/// later use (<c>pocket-tts export-onnx</c>).
/// </summary>
public interface IGraphExporter
{
    /// <summary>Exports the stage graphs of the model described by <paramref name="source"/> into <paramref name="directory"/>.</summary>
    /// <param name="source">The model; with <see cref="ModelSource.Quantize"/>, the FlowLM transformer's linear layers are exported in int8.</param>
    /// <param name="model">The engine's model definition, which the exporter records (<see cref="IModelDefinition.Record"/>).</param>
    /// <param name="directory">The output folder (created when missing; existing graph files are replaced).</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The files written.</returns>
    /// <exception cref="InvalidDataException">The model files are invalid.</exception>
    IReadOnlyList<string> Export(ModelSource source, IModelDefinition model, string directory, CancellationToken cancellationToken = default);
}
