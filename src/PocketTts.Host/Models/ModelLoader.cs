using Microsoft.Extensions.Logging;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Host.Plugins;
using PocketTts.Hub;

namespace PocketTts.Host.Models;

/// <summary>A model loaded for the CLI or the server, with what the host needs to know about it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Language">The built-in language it came from, or null for a custom configuration.</param>
/// <param name="HasVoiceCloning">Whether voices can be cloned from audio.</param>
/// <param name="Source">The files it was loaded from.</param>
internal sealed record LoadedModel(PocketTtsModel Model, string? Language, bool HasVoiceCloning, ModelSource Source) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>A model's configuration and its files on the local disk.</summary>
internal sealed record ResolvedModel(ModelConfig Config, string ConfigPath, string? Language, ModelFiles Files);

/// <summary>
/// Resolves a model's files (downloading them into the Hugging Face cache when needed), creates the backend
/// and loads the model: the one path the CLI commands and the server share.
/// </summary>
internal sealed class ModelLoader(BackendCatalog catalog, HubClient hub, ILogger<ModelLoader> logger)
{
    /// <exception cref="UsageException">Conflicting or unknown options.</exception>
    public async Task<ResolvedModel> ResolveFilesAsync(ModelOptions options, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (options.Language is not null && options.ConfigPath is not null)
            throw new UsageException("--language and --config cannot be used together: a configuration file already names its model.");
        string? language = options.ConfigPath is null ? options.Language ?? ModelOptions.DefaultLanguage : null;
        ModelConfig config;
        string configPath;
        if (language is not null)
        {
            config = ModelConfigLoader.LoadLanguage(language);
            configPath = BuiltInConfigFiles.Materialize(language, hub.Options.PocketTtsCacheDirectory);
        }
        else
        {
            configPath = Path.GetFullPath(options.ConfigPath!);
            config = ModelConfigLoader.LoadFile(configPath);
        }
        ModelFiles files;
        if (options.GraphsDirectory is { } graphs)
        {
            // Exported graphs carry the weights: only the tokenizer is needed, and nothing is downloaded for weights.
            string tokenizer = await hub.ResolveAsync(config.FlowLm.LookupTable.TokenizerPath, config.BaseDirectory, progress, cancellationToken);
            files = new ModelFiles(configPath, Path.GetFullPath(graphs), tokenizer, HasVoiceCloning: true, []);
        }
        else if (config.WeightsPath is null && config.WeightsPathWithoutVoiceCloning is null && config.FlowLm.WeightsPath is not null && config.Mimi.WeightsPath is not null)
        {
            // Raw training checkpoints named per part: the engine reads them itself (no whole-model file).
            string tokenizer = await hub.ResolveAsync(config.FlowLm.LookupTable.TokenizerPath, config.BaseDirectory, progress, cancellationToken);
            files = new ModelFiles(configPath, "", tokenizer, HasVoiceCloning: true, []);
        }
        else
        {
            files = await ModelFiles.ResolveAsync(hub, ModelFileReferences.FromConfig(config, configPath), progress, cancellationToken);
        }
        return new ResolvedModel(config, configPath, language, files);
    }

    public async Task<LoadedModel> LoadAsync(ModelOptions options, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        // The backend first: an unavailable backend is reported before anything is downloaded.
        IBackend backend = catalog.Create(options.Backend, new BackendOptions { Threads = options.Threads });
        try
        {
            ResolvedModel resolved = await ResolveFilesAsync(options, progress, cancellationToken);
            foreach (string notice in resolved.Files.Notices)
                logger.LogWarning("{Notice}", notice);
            if (options.GraphsDirectory is not null && backend is not IStageBackend)
                throw new UsageException($"--onnx-graphs needs a graph backend (--backend onnx or onnx-cuda); '{backend.Name}' builds the model from its weights.");
            var source = new ModelSource(resolved.ConfigPath, resolved.Files.WeightsPath, resolved.Files.TokenizerPath, options.Quantize)
            {
                Language = resolved.Language,
            };
            PocketTtsModel model = await PocketTtsModel.LoadAsync(source, backend, cancellationToken);
            return new LoadedModel(model, resolved.Language, resolved.Files.HasVoiceCloning, source);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }
}
