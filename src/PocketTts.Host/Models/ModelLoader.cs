using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Host.Plugins;
using PocketTts.Hub;
using PocketTts.Weights.Torch;

namespace PocketTts.Host.Models;

/// <summary>A model loaded for the CLI or the server, with what the host needs to know about it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Language">The built-in language it came from, or null for a custom configuration.</param>
/// <param name="HasVoiceCloning">Whether voices can be cloned from audio.</param>
/// <param name="Source">The files it was loaded from.</param>
/// <param name="HasCustomWeights">Whether its weights are not the language's released ones (a training checkpoint).</param>
internal sealed record LoadedModel(PocketTtsModel Model, string? Language, bool HasVoiceCloning, ModelSource Source, bool HasCustomWeights = false) : IDisposable
{
    /// <summary>The language whose predefined voices this model can use: none with a custom configuration or custom weights.</summary>
    public string? PredefinedVoiceLanguage => HasCustomWeights ? null : Language;

    /// <summary>The voice used when none is given: the language's, or a recording any model can clone.</summary>
    public string DefaultVoice => PredefinedVoiceLanguage is { } language ? LanguageCatalog.DefaultVoice(language) : LanguageCatalog.CustomWeightsVoice;

    public void Dispose() => Model.Dispose();
}

/// <summary>A model's configuration and its files on the local disk.</summary>
internal sealed record ResolvedModel(ModelConfig Config, string ConfigPath, string? Language, ModelFiles Files, bool HasCustomWeights = false);

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
        if (options.CheckpointPath is { } checkpoint)
        {
            if (options.GraphsDirectory is not null)
                throw new UsageException("--checkpoint and --onnx-graphs cannot be used together: exported graphs already carry their weights.");
            return new ResolvedModel(config, configPath, language, await CheckpointFilesAsync(checkpoint, config, configPath, progress, cancellationToken), HasCustomWeights: true);
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

    /// <summary>
    /// The configuration's files with the checkpoint's weights in place of its whole-model file: converted once into
    /// the cache (keyed by the checkpoint's path, size and time), so every backend loads them like released weights.
    /// The released weights are fetched only for a checkpoint without Mimi (training freezes it).
    /// </summary>
    private async Task<ModelFiles> CheckpointFilesAsync(string checkpoint, ModelConfig config, string configPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path.GetFullPath(checkpoint));
        if (!file.Exists)
            throw new UsageException($"--checkpoint: file not found: {checkpoint}");
        try
        {
            bool hasMimi = TrainingCheckpoint.HasMimi(file.FullName);
            ModelFiles released = hasMimi
                ? new ModelFiles(configPath, "", await hub.ResolveAsync(config.FlowLm.LookupTable.TokenizerPath, config.BaseDirectory, progress, cancellationToken), HasVoiceCloning: true, [])
                : await ModelFiles.ResolveAsync(hub, ModelFileReferences.FromConfig(config, configPath), progress, cancellationToken);
            string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
                $"{file.FullName}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}\n{(hasMimi ? "" : released.WeightsPath)}")))[..16];
            string converted = Path.Join(hub.Options.PocketTtsCacheDirectory, "checkpoints", $"{Path.GetFileNameWithoutExtension(file.Name)}-{key}.safetensors");
            if (!File.Exists(converted))
            {
                logger.LogInformation("Converting training checkpoint {Checkpoint} to {Converted}", file.FullName, converted);
                Directory.CreateDirectory(Path.GetDirectoryName(converted)!);
                TrainingCheckpoint.WriteModelFile(file.FullName, hasMimi ? null : released.WeightsPath, converted);
            }
            return released with { WeightsPath = converted };
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--checkpoint: {e.Message}", e);
        }
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
            return new LoadedModel(model, resolved.Language, resolved.Files.HasVoiceCloning, source, resolved.HasCustomWeights);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }
}
