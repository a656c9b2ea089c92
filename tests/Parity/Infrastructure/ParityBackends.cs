using Microsoft.Extensions.DependencyInjection;
using PocketTts.Backends;
using PocketTts.Host.Plugins;
using PocketTts.Model.Graphs;
using PocketTts.Stages;
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

    /// <summary>Names of the stage backends (those that provide whole stages, as graph runtimes do) that can run here.</summary>
    public static TheoryData<string> AvailableStageBackends
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var b in Catalog.Value.Backends.Where(b => b.Probe.IsAvailable))
            {
                using IBackend backend = b.Provider!.Create(new BackendOptions { Threads = 1 });
                if (backend is IStageBackend)
                    data.Add(b.Name);
            }
            return data;
        }
    }

    /// <summary>The stages of the tiny model (Fixtures/tiny) on a stage backend; disposing them disposes the backend.</summary>
    public static IModelStages CreateTinyStages(string name)
    {
        var backend = (IStageBackend)Create(name);
        var source = TinyModel.Source();
        return new OwningStages(backend.CreateStages(source, ModelDefinition.Instance), backend);
    }

    private sealed class OwningStages(IModelStages stages, IBackend backend) : IModelStages
    {
        public ITextConditionerStage TextConditioner => stages.TextConditioner;

        public IFlowLmStage FlowLm => stages.FlowLm;

        public IMimiEncoderStage MimiEncoder => stages.MimiEncoder;

        public IMimiDecoderStage MimiDecoder => stages.MimiDecoder;

        public void Dispose()
        {
            stages.Dispose();
            backend.Dispose();
        }
    }

    /// <summary>Installed backends that cannot run here, with the reason.</summary>
    public static IReadOnlyList<(string Name, string Reason)> Unavailable =>
        [.. Catalog.Value.Backends.Where(b => !b.Probe.IsAvailable).Select(b => (b.Name, b.Probe.Reason))];

    /// <summary>
    /// Creates a backend by name. The onnx backend comes from the plugin assembly this project also references (the same
    /// build as plugins/onnx), so that its code runs where coverage is measured; loading it as a plugin is checked by
    /// <see cref="BackendInventoryTests"/> and the export-onnx command tests, which go through the catalog.
    /// </summary>
    public static IBackend Create(string name, int threads = 1)
    {
        // Exported graphs are cached next to the tests, so each run exports once and a clean build starts afresh.
        var options = new BackendOptions { Threads = threads, CacheDirectory = Path.Combine(AppContext.BaseDirectory, "derived", name) };
        return name == "onnx" ? new PocketTts.Backends.Onnx.OnnxBackendProvider().Create(options) : Catalog.Value.Create(name, options);
    }

    /// <summary>Creates a tensor backend by name.</summary>
    public static ITensorBackend CreateTensorBackend(string name, int threads = 1) =>
        Create(name, threads) as ITensorBackend ?? throw new InvalidOperationException($"Backend '{name}' is not a tensor backend.");
}
