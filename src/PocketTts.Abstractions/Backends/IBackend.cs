using PocketTts.Tensors;

namespace PocketTts.Backends;

/// <summary>
/// A backend instance created by <see cref="IBackendProvider.Create"/>. Every backend is one of two kinds:
/// <see cref="ITensorBackend"/> (primitive operations) or <see cref="IStageBackend"/> (whole model stages).
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>The backend name this instance was created for.</summary>
    string Name { get; }
}
