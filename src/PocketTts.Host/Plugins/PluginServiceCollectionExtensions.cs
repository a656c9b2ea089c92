using Microsoft.Extensions.DependencyInjection;

namespace PocketTts.Host.Plugins;

/// <summary>Registers the backend plugins with the host's DI container.</summary>
internal static class PluginServiceCollectionExtensions
{
    /// <summary>
    /// Loads the plugins under the search roots (see <see cref="PluginSearchPath"/>), adds every service they
    /// register (their <c>IBackendProvider</c>s among them) and a <see cref="BackendCatalog"/> over them.
    /// </summary>
    public static IServiceCollection AddBackendPlugins(this IServiceCollection services, IEnumerable<string> pluginRoots)
    {
        PluginLoadResult result = BackendPluginLoader.LoadAll(pluginRoots);
        foreach (ServiceDescriptor descriptor in result.Services)
            services.Add(descriptor);
        services.AddSingleton(result);
        services.AddSingleton(sp => new BackendCatalog(result, sp));
        return services;
    }
}
