using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PocketTts.Backends;

namespace PocketTts.Host.Plugins;

/// <summary>
/// Loads every backend plugin folder under the search roots, each into its own load context that shares only
/// the contract types (PocketTts.Abstractions, DI and logging abstractions) with the host. A plugin that
/// fails to load is recorded with the reason and never takes the host down.
/// </summary>
internal static class BackendPluginLoader
{
    // Types whose assemblies the host and every plugin must agree on.
    private static readonly Type[] SharedTypes = [typeof(IBackendPlugin), typeof(IServiceCollection), typeof(ILogger)];

    public static PluginLoadResult LoadAll(IEnumerable<string> roots)
    {
        var plugins = new List<PluginInfo>();
        var services = new List<ServiceDescriptor>();
        var registrations = new List<BackendRegistration>();
        foreach (string root in roots)
        {
            if (!Directory.Exists(root))
                continue;
            foreach (string folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var (info, registered) = LoadFolder(folder);
                plugins.Add(info);
                services.AddRange(registered);
                registrations.AddRange(registered.Where(d => d.ServiceType == typeof(IBackendProvider)).Select(d => new BackendRegistration(info, d)));
            }
        }
        return new PluginLoadResult(plugins, services, registrations);
    }

    /// <summary>
    /// Loads the plugin in <paramref name="folder"/> as the host would (main assembly, entry type, contract version,
    /// registrations) into a load context that is unloaded afterwards: whether it can be enabled, before
    /// <c>pocket-tts plugins add</c> moves it into place. (From its files, not from memory: a plugin may find its
    /// native libraries beside its assembly's location.)
    /// </summary>
    public static PluginInfo Inspect(string folder) => LoadFolder(folder, inspect: true).Info;

    private static (PluginInfo Info, IReadOnlyList<ServiceDescriptor> Services) LoadFolder(string folder, bool inspect = false)
    {
        string? assemblyPath = FindMainAssembly(folder, out string? findError);
        if (assemblyPath is null)
            return (new PluginInfo(folder, null, null, findError), []);
        if (DepsFile.Check(assemblyPath) is { } depsError)
            return (new PluginInfo(folder, assemblyPath, null, depsError), []);
        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config =>
            {
                config.PreferSharedTypes = true;
                config.IsUnloadable = inspect;
            });
            Assembly assembly = loader.LoadDefaultAssembly();
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
            Type entryType = FindEntryType(assembly);
            var plugin = (IBackendPlugin)Activator.CreateInstance(entryType)!;
            if (plugin.ContractVersion != BackendContract.Version)
            {
                return (new PluginInfo(folder, assemblyPath, version,
                    $"built against backend contract version {plugin.ContractVersion}, but this host implements version {BackendContract.Version}; rebuild the plugin against this PocketTts.Abstractions"), []);
            }
            var services = new ServiceCollection();
            plugin.ConfigureServices(services);
            var info = new PluginInfo(folder, assemblyPath, version, null);
            if (!services.Any(d => d.ServiceType == typeof(IBackendProvider)))
                return (info with { Error = $"{entryType.FullName}.ConfigureServices registered no IBackendProvider" }, []);
            return (info, [.. services]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (new PluginInfo(folder, assemblyPath, null, DescribeLoadFailure(ex)), []);
        }
        finally
        {
            if (inspect)
                loader?.Dispose();
        }
    }

    /// <summary>
    /// The plugin's main assembly is the one with a <c>.runtimeconfig.json</c> beside it, which a class library
    /// built with EnableDynamicLoading writes (its project references get a <c>.deps.json</c> but no runtimeconfig).
    /// </summary>
    private static string? FindMainAssembly(string folder, out string? error)
    {
        var candidates = Directory.EnumerateFiles(folder, "*.runtimeconfig.json")
            .Select(config => Path.Combine(folder, Path.GetFileName(config)[..^".runtimeconfig.json".Length] + ".dll"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        error = candidates.Count switch
        {
            1 => null,
            0 => "no plugin assembly found (expected <Name>.dll with <Name>.runtimeconfig.json, as a class library build with EnableDynamicLoading writes)",
            _ => $"several plugin assemblies found ({string.Join(", ", candidates.Select(Path.GetFileName))}); a plugin folder holds exactly one",
        };
        return error is null ? candidates[0] : null;
    }

    private static Type FindEntryType(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            throw new InvalidOperationException("its types could not be loaded: " + string.Join("; ", ex.LoaderExceptions.Select(e => e?.Message).Distinct()), ex);
        }
        var entries = types.Where(t => typeof(IBackendPlugin).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }).ToList();
        return entries.Count switch
        {
            1 => entries[0].GetConstructor(Type.EmptyTypes) is not null
                ? entries[0]
                : throw new InvalidOperationException($"{entries[0].FullName} has no public parameterless constructor"),
            0 => throw new InvalidOperationException($"{assembly.GetName().Name} has no public class implementing IBackendPlugin"),
            _ => throw new InvalidOperationException($"{assembly.GetName().Name} has several classes implementing IBackendPlugin: {string.Join(", ", entries.Select(t => t.FullName))}"),
        };
    }

    private static string DescribeLoadFailure(Exception ex)
    {
        Exception root = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
        return root switch
        {
            FileNotFoundException f => $"a dependency is missing: {f.FileName ?? f.Message}",
            FileLoadException f => $"a dependency could not be loaded: {f.FileName ?? f.Message}",
            BadImageFormatException b => $"not a valid .NET assembly: {b.Message}",
            _ => root.Message,
        };
    }
}
