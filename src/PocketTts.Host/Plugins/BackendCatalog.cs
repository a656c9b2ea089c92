using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;

namespace PocketTts.Host.Plugins;

/// <summary>A backend found in a plugin: its provider (when it could be constructed) and whether it can run here.</summary>
/// <param name="Name">The backend name.</param>
/// <param name="Description">The provider's description, or the provider type when it failed.</param>
/// <param name="Plugin">The plugin it came from.</param>
/// <param name="Probing">Runs the provider's probe, once, when <see cref="Probe"/> is first read.</param>
/// <param name="Provider">The provider, or null when its construction failed.</param>
internal sealed record BackendEntry(string Name, string Description, PluginInfo Plugin, Lazy<BackendProbeResult> Probing, IBackendProvider? Provider)
{
    /// <summary>
    /// Whether it can run here, and why not. Probed on first use: a probe may load a large native library
    /// (LibTorch, ONNX Runtime), which a run on another backend should not pay for.
    /// </summary>
    public BackendProbeResult Probe => Probing.Value;
}

/// <summary>
/// Every backend the loaded plugins provide, constructed one by one so that a provider whose constructor or probe
/// throws is reported instead of breaking the others; each is probed only when its availability is first asked.
/// </summary>
internal sealed class BackendCatalog
{
    private readonly Lazy<IReadOnlyList<BackendEntry>> _entries;

    public BackendCatalog(PluginLoadResult plugins, IServiceProvider services)
    {
        Plugins = plugins.Plugins;
        _entries = new Lazy<IReadOnlyList<BackendEntry>>(() => [.. plugins.Registrations.Select(r => Resolve(r, services))]);
    }

    /// <summary>Every plugin folder found, loaded or not.</summary>
    public IReadOnlyList<PluginInfo> Plugins { get; }

    /// <summary>Every backend provided by a loaded plugin.</summary>
    public IReadOnlyList<BackendEntry> Backends => _entries.Value;

    /// <summary>Creates the backend called <paramref name="name"/>.</summary>
    /// <exception cref="BackendUnavailableException">Unknown name, or the backend cannot run here; the message says why.</exception>
    public IBackend Create(string name, BackendOptions options) => Require(name).Provider!.Create(options);

    /// <summary>
    /// The entry of backend <paramref name="name"/>, which can run here (its provider was constructed and its probe
    /// passed). When several plugins provide that name, the one found last wins: an installed plugin (the user's
    /// plugins folder) or one named by --plugins-dir replaces the built-in one.
    /// </summary>
    /// <exception cref="BackendUnavailableException">Unknown name, or the backend cannot run here; the message says why.</exception>
    public BackendEntry Require(string name)
    {
        BackendEntry? entry = Backends.LastOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            string known = Backends.Count == 0 ? "none" : string.Join(", ", Backends.Select(b => b.Name));
            throw new BackendUnavailableException($"Backend '{name}' is not installed (installed: {known}). Run 'pocket-tts backends' to see every plugin found and why any failed.");
        }
        if (entry.Provider is null || !entry.Probe.IsAvailable)
            throw new BackendUnavailableException($"Backend '{entry.Name}' is not available here: {entry.Probe.Reason}");
        return entry;
    }

    private static BackendEntry Resolve(BackendRegistration registration, IServiceProvider services)
    {
        ServiceDescriptor d = registration.Descriptor;
        string typeName = d.ImplementationType?.Name ?? d.ImplementationInstance?.GetType().Name ?? "IBackendProvider factory";
        IBackendProvider provider;
        try
        {
            provider = (IBackendProvider)(d.ImplementationInstance
                ?? d.ImplementationFactory?.Invoke(services)
                ?? ActivatorUtilities.CreateInstance(services, d.ImplementationType!));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Exception root = ex.InnerException ?? ex;
            var failure = BackendProbeResult.Unavailable($"its provider {typeName} failed to construct: {root.Message}");
            return new BackendEntry(typeName, typeName, registration.Plugin, new Lazy<BackendProbeResult>(failure), null);
        }
        return new BackendEntry(provider.Name, provider.Description, registration.Plugin, new Lazy<BackendProbeResult>(() => ProbeOf(provider)), provider);
    }

    private static BackendProbeResult ProbeOf(IBackendProvider provider)
    {
        try
        {
            return provider.Probe();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return BackendProbeResult.Unavailable($"probe failed: {ex.Message}");
        }
    }
}
