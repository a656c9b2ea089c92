using PocketTts.Graphs;
using PocketTts.Stages;

namespace PocketTts.Backends;

/// <summary>
/// A backend that provides whole model stages itself instead of primitive operations, for example a graph
/// runtime that executes graphs exported from the engine's model definition.
/// </summary>
public interface IStageBackend : IBackend
{
    /// <summary>Builds the stages of the model described by <paramref name="source"/>.</summary>
    /// <param name="source">Where the configuration and weights are.</param>
    /// <param name="model">
    /// The engine's model definition, for a backend that records it into graphs (<see cref="IModelDefinition.Record"/>);
    /// a backend that runs graphs made elsewhere ignores it.
    /// </param>
    /// <param name="cancellationToken">Cancels a long load (graph export, compilation).</param>
    /// <exception cref="InvalidDataException">The model files are invalid; the message says which and why.</exception>
    IModelStages CreateStages(ModelSource source, IModelDefinition model, CancellationToken cancellationToken = default);
}
