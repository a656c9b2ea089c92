using System.Security.Cryptography;
using System.Text;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Weights.Torch;

namespace PocketTts.Hub;

/// <summary>Which model to load: a built-in language or a configuration file, and what replaces its weights.</summary>
public sealed record ModelRequest
{
    /// <summary>The language used when neither <see cref="Language"/> nor <see cref="ConfigPath"/> is given.</summary>
    public const string DefaultLanguage = LanguageCatalog.DefaultLanguage;

    /// <summary>A built-in language configuration (english, french_24l, …); exclusive with <see cref="ConfigPath"/>.</summary>
    public string? Language { get; init; }

    /// <summary>A YAML configuration file in the reference's schema.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>A training checkpoint (.pt) loaded instead of the configuration's weights.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>A folder of exported ONNX graphs: then only the tokenizer is fetched.</summary>
    public string? GraphsDirectory { get; init; }
}

/// <summary>A model's configuration and its files on the local disk.</summary>
/// <param name="Config">The parsed configuration.</param>
/// <param name="ConfigPath">The configuration file (a built-in one is written to the cache).</param>
/// <param name="Language">The built-in language, or null for a configuration file.</param>
/// <param name="Files">The weights and tokenizer, and whether voice cloning is available.</param>
/// <param name="HasCustomWeights">Whether the weights are not the configuration's released ones (a training checkpoint).</param>
public sealed record ResolvedModel(ModelConfig Config, string ConfigPath, string? Language, ModelFiles Files, bool HasCustomWeights)
{
    /// <summary>The language whose predefined voices fit these weights: none with a configuration file or custom weights.</summary>
    public string? PredefinedVoiceLanguage => HasCustomWeights ? null : Language;

    /// <summary>The voice used when none is given: the language's, or a recording any model can clone (the reference's choice).</summary>
    public string DefaultVoice => PredefinedVoiceLanguage is { } language ? LanguageCatalog.DefaultVoice(language) : LanguageCatalog.CustomWeightsVoice;

    /// <summary>What <see cref="PocketTtsModel.LoadAsync(ModelSource, IBackend, CancellationToken)"/> takes.</summary>
    public ModelSource ToSource(bool quantize = false) => new(ConfigPath, Files.WeightsPath, Files.TokenizerPath, quantize) { Language = Language };
}

/// <summary>
/// Finds a model's files as <c>pocket-tts</c> and the reference do: the configuration of a language (or a file), its
/// weights and tokenizer from the Hugging Face cache, downloaded when missing (with the hub's offline, token and
/// endpoint rules), and a training checkpoint converted once into a cached whole-model file.
/// </summary>
public static class ModelResolver
{
    /// <summary>Resolves (and downloads when needed) the files of <paramref name="request"/>'s model.</summary>
    /// <exception cref="InvalidInputException">Both a language and a configuration (subject <c>ConfigPath</c>), a checkpoint
    /// with graphs (subject <c>GraphsDirectory</c>), or a checkpoint that cannot be read (subject <c>CheckpointPath</c>).</exception>
    /// <exception cref="ArgumentException">An unknown language.</exception>
    /// <exception cref="NotFoundException">The checkpoint does not exist (subject <c>CheckpointPath</c>).</exception>
    /// <exception cref="FileNotFoundException">The configuration does not exist.</exception>
    /// <exception cref="InvalidDataException">The configuration or the checkpoint is malformed.</exception>
    /// <exception cref="HubException">A file could not be downloaded.</exception>
    public static async Task<ResolvedModel> ResolveAsync(HubClient hub, ModelRequest request, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Language is not null && request.ConfigPath is not null)
            throw new InvalidInputException("cannot be used with a language: a configuration file already names its model.", nameof(ModelRequest.ConfigPath), request.ConfigPath);
        string? language = request.ConfigPath is null ? request.Language ?? ModelRequest.DefaultLanguage : null;
        ModelConfig config;
        string configPath;
        if (language is not null)
        {
            config = ModelConfigLoader.LoadLanguage(language);
            configPath = BuiltInConfigFiles.Materialize(language, hub.Options.PocketTtsCacheDirectory);
        }
        else
        {
            configPath = Path.GetFullPath(request.ConfigPath!);
            config = ModelConfigLoader.LoadFile(configPath);
        }
        if (request.CheckpointPath is { } checkpoint)
        {
            if (request.GraphsDirectory is not null)
                throw new InvalidInputException("cannot be used with a training checkpoint: exported graphs already carry their weights.", nameof(ModelRequest.GraphsDirectory), request.GraphsDirectory);
            return new ResolvedModel(config, configPath, language, await CheckpointFilesAsync(hub, checkpoint, config, configPath, progress, cancellationToken).ConfigureAwait(false), HasCustomWeights: true);
        }
        ModelFiles files;
        if (request.GraphsDirectory is { } graphs)
        {
            // Exported graphs carry the weights: only the tokenizer is needed, and nothing is downloaded for weights.
            string tokenizer = await hub.ResolveAsync(config.FlowLm.LookupTable.TokenizerPath, config.BaseDirectory, progress, cancellationToken).ConfigureAwait(false);
            files = new ModelFiles(configPath, Path.GetFullPath(graphs), tokenizer, HasVoiceCloning: true, []);
        }
        else if (config.WeightsPath is null && config.WeightsPathWithoutVoiceCloning is null && config.FlowLm.WeightsPath is not null && config.Mimi.WeightsPath is not null)
        {
            // Raw training checkpoints named per part: the engine reads them itself (no whole-model file).
            string tokenizer = await hub.ResolveAsync(config.FlowLm.LookupTable.TokenizerPath, config.BaseDirectory, progress, cancellationToken).ConfigureAwait(false);
            files = new ModelFiles(configPath, "", tokenizer, HasVoiceCloning: true, []);
        }
        else
        {
            files = await ModelFiles.ResolveAsync(hub, ModelFileReferences.FromConfig(config, configPath), progress, cancellationToken).ConfigureAwait(false);
        }
        return new ResolvedModel(config, configPath, language, files, HasCustomWeights: false);
    }

    /// <summary>
    /// The configuration's files with the checkpoint's weights in place of its whole-model file: converted once into
    /// the cache (keyed by the checkpoint's path, size and time), so every backend loads them like released weights.
    /// The released weights are fetched only for a checkpoint without Mimi (training freezes it).
    /// </summary>
    private static async Task<ModelFiles> CheckpointFilesAsync(HubClient hub, string checkpoint, ModelConfig config, string configPath,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path.GetFullPath(checkpoint));
        if (!file.Exists)
            throw new NotFoundException($"no such file ({file.FullName}).", nameof(ModelRequest.CheckpointPath), checkpoint);
        bool hasMimi;
        try
        {
            hasMimi = TrainingCheckpoint.HasMimi(file.FullName);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"is not a readable training checkpoint: {e.Message}", nameof(ModelRequest.CheckpointPath), checkpoint, e);
        }
        ModelFiles released = hasMimi
            ? new ModelFiles(configPath, "", await hub.ResolveAsync(config.FlowLm.LookupTable.TokenizerPath, config.BaseDirectory, progress, cancellationToken).ConfigureAwait(false), HasVoiceCloning: true, [])
            : await ModelFiles.ResolveAsync(hub, ModelFileReferences.FromConfig(config, configPath), progress, cancellationToken).ConfigureAwait(false);
        string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{file.FullName}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}\n{(hasMimi ? "" : released.WeightsPath)}")))[..16];
        string converted = Path.Join(hub.Options.PocketTtsCacheDirectory, "checkpoints", $"{Path.GetFileNameWithoutExtension(file.Name)}-{key}.safetensors");
        if (!File.Exists(converted))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(converted)!);
            TrainingCheckpoint.WriteModelFile(file.FullName, hasMimi ? null : released.WeightsPath, converted);
        }
        return released with { WeightsPath = converted };
    }
}
