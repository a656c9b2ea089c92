using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Plugins;
using PocketTts.Tensors;

namespace PocketTts.Tests.Unit.Backends.Torch;

/// <summary>
/// The torch plugin as the host loads it: from plugins/torch next to the tests (build/CopyPlugins.targets puts it
/// there), in its own load context, so these tests exercise the same files and native libraries users get.
/// </summary>
internal static class TorchPlugin
{
    private static readonly Lazy<BackendCatalog> Catalog = new(() =>
        new ServiceCollection()
            .AddBackendPlugins([Path.Combine(AppContext.BaseDirectory, "plugins")])
            .BuildServiceProvider()
            .GetRequiredService<BackendCatalog>());

    /// <summary>Tests that create torch backends run one at a time: LibTorch's thread count is process-wide.</summary>
    public const string Collection = "torch";

    /// <summary>The plugin folder the host loads torch from.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "plugins", "torch");

    /// <summary>The catalog entry of a backend of the torch plugin.</summary>
    public static BackendEntry Entry(string name) =>
        Catalog.Value.Backends.SingleOrDefault(b => b.Name == name)
            ?? throw new InvalidOperationException($"Backend '{name}' is not in the catalog; plugins: "
                + string.Join("; ", Catalog.Value.Plugins.Select(p => $"{p.Folder}: {p.Error ?? "loaded"}")));

    public static ITensorBackend Create(string name = "torch", int threads = 1) =>
        (ITensorBackend)Catalog.Value.Create(name, new BackendOptions { Threads = threads });

    /// <summary>Null when torch-cuda can run here, otherwise its probe's reason.</summary>
    public static string? CudaUnavailableReason
    {
        get
        {
            BackendProbeResult probe = Entry("torch-cuda").Probe;
            return probe.IsAvailable ? null : probe.Reason;
        }
    }
}

/// <summary>A fact that needs a CUDA device: skipped, with the probe's reason, where torch-cuda cannot run.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TorchCudaFactAttribute : FactAttribute
{
    public TorchCudaFactAttribute()
    {
        if (TorchPlugin.CudaUnavailableReason is { } reason)
            Skip = $"torch-cuda is unavailable here: {reason}";
    }
}
