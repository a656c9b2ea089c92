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
    /// <param name="cancellationToken">Cancels a long load (graph export, compilation).</param>
    /// <exception cref="InvalidDataException">The model files are invalid; the message says which and why.</exception>
    IModelStages CreateStages(ModelSource source, CancellationToken cancellationToken = default);
}
