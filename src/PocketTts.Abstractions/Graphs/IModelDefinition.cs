using PocketTts.Backends;

namespace PocketTts.Graphs;

/// <summary>
/// The engine's model definition, as a graph backend receives it (<see cref="IStageBackend.CreateStages"/>,
/// <see cref="IGraphExporter.Export"/>): the model written once against <see cref="Tensors.ITensorBackend"/>, which
/// records itself as the stage graphs of <see cref="StageGraphNames"/> when run on an <see cref="IGraphRecorder"/>.
/// </summary>
public interface IModelDefinition
{
    /// <summary>
    /// Loads the model of <paramref name="source"/> onto <paramref name="recorder"/> and records every graph of
    /// <see cref="StageGraphNames"/> on it, each between one <see cref="IGraphRecorder.BeginGraph"/> and its
    /// <see cref="IGraphRecorder.EndGraph"/>.
    /// </summary>
    /// <param name="recorder">The recording backend; it keeps the graphs.</param>
    /// <param name="source">The model; with <see cref="ModelSource.Quantize"/>, the FlowLM transformer's linear layers are recorded in int8.</param>
    /// <param name="cancellationToken">Cancels the recording before it starts.</param>
    /// <returns>The sizes a runtime of the graphs needs.</returns>
    /// <exception cref="InvalidDataException">The model files are invalid.</exception>
    StageGraphSettings Record(IGraphRecorder recorder, ModelSource source, CancellationToken cancellationToken = default);
}
