using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Graphs;

namespace PocketTts.Model.Graphs;

/// <summary>
/// The engine's model definition for graph backends: <see cref="Record"/> builds the model's stages on the
/// recorder, exactly as every tensor backend builds them, and has each stage record its graphs there.
/// </summary>
public sealed class ModelDefinition : IModelDefinition
{
    private ModelDefinition()
    {
    }

    /// <summary>The one definition (it holds nothing).</summary>
    public static ModelDefinition Instance { get; } = new();

    /// <inheritdoc/>
    public StageGraphSettings Record(IGraphRecorder recorder, ModelSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        ModelConfig config = ModelConfigLoader.Load(source);
        using TensorModelStages stages = ModelStageFactory.BuildOnTensorBackend(recorder, source, config);
        return stages.RecordGraphs(source.Quantize);
    }
}
