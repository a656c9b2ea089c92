using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Backends;

/// <summary>
/// The entry point of a backend plugin assembly. The host finds the single public, non-abstract class that
/// implements this interface, creates it with its parameterless constructor and calls
/// <see cref="ConfigureServices"/>, where the plugin registers one <see cref="IBackendProvider"/> per backend
/// name it serves (<c>services.AddSingleton&lt;IBackendProvider, MyProvider&gt;()</c>).
/// </summary>
public interface IBackendPlugin
{
    /// <summary>
    /// The <see cref="BackendContract.Version"/> the plugin was compiled against. Implement it as
    /// <c>=&gt; BackendContract.Version</c>: the constant is copied into the plugin at compile time, so the host
    /// can detect a plugin built against another version of the contract.
    /// </summary>
    int ContractVersion { get; }

    /// <summary>Registers the plugin's <see cref="IBackendProvider"/> implementations and whatever they need.</summary>
    /// <param name="services">The host's service collection.</param>
    void ConfigureServices(IServiceCollection services);
}
