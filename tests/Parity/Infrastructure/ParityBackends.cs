using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Plugins;
using PocketTts.Tensors;

namespace PocketTts.Tests.Parity.Infrastructure;

/// <summary>
/// The backends parity tests run on: every backend the plugin folder next to the tests provides and that can
/// run on this machine. A backend joins the suite by being installed; one that is installed but cannot run
/// here is listed by <see cref="Unavailable"/> (and reported by a test) rather than silently skipped.
/// </summary>
public static class ParityBackends
{
    private static readonly Lazy<BackendCatalog> Catalog = new(() =>
        new ServiceCollection()
            .AddBackendPlugins([Path.Combine(AppContext.BaseDirectory, "plugins")])
            .BuildServiceProvider()
            .GetRequiredService<BackendCatalog>());

    /// <summary>Names of the backends that can run here.</summary>
    public static IReadOnlyList<string> AvailableNames => [.. Catalog.Value.Backends.Where(b => b.Probe.IsAvailable).Select(b => b.Name)];

    /// <summary>Names of the backends that can run here (theory data).</summary>
    public static TheoryData<string> Available
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var b in Catalog.Value.Backends.Where(b => b.Probe.IsAvailable))
                data.Add(b.Name);
            return data;
        }
    }

    /// <summary>Names of the tensor backends (those the engine builds stages on) that can run here.</summary>
    public static TheoryData<string> AvailableTensorBackends
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var b in Catalog.Value.Backends.Where(b => b.Probe.IsAvailable))
            {
                using IBackend backend = b.Provider!.Create(new BackendOptions { Threads = 1 });
                if (backend is ITensorBackend)
                    data.Add(b.Name);
            }
            return data;
        }
    }

    /// <summary>Installed backends that cannot run here, with the reason.</summary>
    public static IReadOnlyList<(string Name, string Reason)> Unavailable =>
        [.. Catalog.Value.Backends.Where(b => !b.Probe.IsAvailable).Select(b => (b.Name, b.Probe.Reason))];

    /// <summary>Creates a backend by name.</summary>
    public static IBackend Create(string name, int threads = 1) => Catalog.Value.Create(name, new BackendOptions { Threads = threads });

    /// <summary>Creates a tensor backend by name.</summary>
    public static ITensorBackend CreateTensorBackend(string name, int threads = 1) =>
        Create(name, threads) as ITensorBackend ?? throw new InvalidOperationException($"Backend '{name}' is not a tensor backend.");
}
