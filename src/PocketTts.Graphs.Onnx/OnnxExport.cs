using PocketTts.Backends;

namespace PocketTts.Graphs.Onnx;

/// <summary>
/// Writes a model's stage graphs as ONNX files with their <see cref="OnnxManifest"/>: the engine's model definition
/// records itself on a <see cref="GraphRecorder"/>, and each graph it recorded becomes <c>&lt;name&gt;.onnx</c>.
/// </summary>
public static class OnnxExport
{
    /// <summary>Records every graph of <paramref name="source"/>'s model into <paramref name="directory"/>.</summary>
    /// <param name="model">The engine's model definition (what <see cref="IStageBackend.CreateStages"/> and <see cref="IGraphExporter.Export"/> receive).</param>
    /// <param name="source">The model; with <see cref="ModelSource.Quantize"/>, the FlowLM transformer's linear layers are exported in int8.</param>
    /// <param name="directory">The output folder (created when missing; existing graph files are replaced).</param>
    /// <param name="stamp">What the graphs are made from, kept as <see cref="OnnxManifest.Source"/> to notice stale exports.</param>
    /// <param name="cancellationToken">Cancels the export before it starts.</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="InvalidDataException">The model files are invalid.</exception>
    public static OnnxManifest Export(IModelDefinition model, ModelSource source, string directory, string stamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using var recorder = new GraphRecorder();
        StageGraphSettings settings = model.Record(recorder, source, cancellationToken);
        Directory.CreateDirectory(directory);
        foreach (RecordedGraph graph in recorder.Graphs.Values)
        {
            using FileStream file = File.Create(Path.Combine(directory, graph.Spec.File));
            graph.WriteTo(file);
        }
        var manifest = new OnnxManifest(OnnxManifest.FormatName, OnnxManifest.CurrentVersion, stamp, settings,
                                        recorder.Graphs.ToDictionary(g => g.Key, g => g.Value.Spec));
        manifest.Save(directory);
        return manifest;
    }
}
