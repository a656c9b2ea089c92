using Microsoft.Extensions.Logging;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Host.Plugins;
using PocketTts.Hub;

namespace PocketTts.Host.Models;

/// <summary>A model loaded for the CLI or the server, with what the host needs to know about it.</summary>
/// <param name="Model">The model.</param>
/// <param name="Resolved">Its configuration and files, and what they allow (voice cloning, predefined voices).</param>
/// <param name="Source">The files it was loaded from.</param>
internal sealed record LoadedModel(PocketTtsModel Model, ResolvedModel Resolved, ModelSource Source) : IDisposable
{
    /// <summary>The built-in language it came from, or null for a custom configuration.</summary>
    public string? Language => Resolved.Language;

    /// <summary>Whether voices can be cloned from audio.</summary>
    public bool HasVoiceCloning => Resolved.Files.HasVoiceCloning;

    /// <summary>The language whose predefined voices this model can use: none with a custom configuration or custom weights.</summary>
    public string? PredefinedVoiceLanguage => Resolved.PredefinedVoiceLanguage;

    /// <summary>The voice used when none is given: the language's, or a recording any model can clone.</summary>
    public string DefaultVoice => Resolved.DefaultVoice;

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Resolves a model's files (downloading them into the Hugging Face cache when needed), creates the backend
/// and loads the model: the one path the CLI commands and the server share.
/// </summary>
internal sealed class ModelLoader(BackendCatalog catalog, HubClient hub, ILogger<ModelLoader> logger)
{
    /// <exception cref="UsageException">Conflicting or unknown options.</exception>
    /// <exception cref="PocketTtsException">A checkpoint that does not exist or cannot be read (subject <c>CheckpointPath</c>).</exception>
    public async Task<ResolvedModel> ResolveFilesAsync(ModelOptions options, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        CheckLocalOptions(options);
        var request = new ModelRequest
        {
            Language = options.Language,
            ConfigPath = options.ConfigPath,
            CheckpointPath = options.CheckpointPath,
            GraphsDirectory = options.GraphsDirectory,
        };
        try
        {
            return await ModelResolver.ResolveAsync(hub, request, progress, cancellationToken);
        }
        catch (InvalidInputException e) when (e.Subject is nameof(ModelRequest.ConfigPath) or nameof(ModelRequest.GraphsDirectory))
        {
            // The library's words for the two conflicts, in the command line's flags.
            throw new UsageException(e.Subject == nameof(ModelRequest.ConfigPath)
                ? "--language and --config cannot be used together: a configuration file already names its model."
                : "--checkpoint and --onnx-graphs cannot be used together: exported graphs already carry their weights.", e);
        }
    }

    /// <summary>The options that name something local or built in, checked before anything is downloaded.</summary>
    private static void CheckLocalOptions(ModelOptions options)
    {
        if (options.Language is { } language && !ModelConfigLoader.Languages.Contains(language))
        {
            throw new UsageException(Cli.DidYouMean.Guess(language, ModelConfigLoader.Languages) is { } guess
                ? $"--language '{language}' is not a built-in language; did you mean '{guess}'?"
                : $"--language '{language}' is not a built-in language: accepted are {string.Join(", ", ModelConfigLoader.Languages)}.");
        }
        if (options.GraphsDirectory is { } graphs && !Directory.Exists(graphs))
            throw new UsageException($"--onnx-graphs '{graphs}': no such folder ({Path.GetFullPath(graphs)}); give the folder export-onnx wrote.");
    }

    public async Task<LoadedModel> LoadAsync(ModelOptions options, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        // The backend first: an unavailable backend is reported before anything is downloaded.
        IBackend backend = catalog.Create(options.Backend, new BackendOptions
        {
            Threads = options.Threads,
            CacheDirectory = Path.Join(hub.Options.PocketTtsCacheDirectory, options.Backend),
        });
        try
        {
            ResolvedModel resolved = await ResolveFilesAsync(options, progress, cancellationToken);
            foreach (string notice in resolved.Files.Notices)
                logger.LogWarning("{Notice}", notice);
            if (options.GraphsDirectory is not null && backend is not IStageBackend)
                throw new UsageException($"--onnx-graphs needs a graph backend (--backend onnx or onnx-cuda); '{backend.Name}' builds the model from its weights.");
            ModelSource source = resolved.ToSource(options.Quantize);
            PocketTtsModel model = await PocketTtsModel.LoadAsync(source, backend, cancellationToken);
            return new LoadedModel(model, resolved, source);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }
}
