namespace PocketTts.Hub;

/// <summary>A model's files on the local disk, ready to load.</summary>
/// <param name="ConfigPath">The YAML configuration, or null for a built-in one.</param>
/// <param name="WeightsPath">The safetensors weights.</param>
/// <param name="TokenizerPath">The SentencePiece <c>tokenizer.model</c>.</param>
/// <param name="HasVoiceCloning">Whether the weights include the voice-cloning encoder; when false, only
/// predefined voices (exported voice states) can be used.</param>
/// <param name="Notices">Things the user should be told, such as why voice cloning is off and how to get it.</param>
public sealed record ModelFiles(string? ConfigPath, string WeightsPath, string TokenizerPath, bool HasVoiceCloning, IReadOnlyList<string> Notices)
{
    /// <summary>
    /// Resolves every reference to a local file, downloading what is missing. The voice-cloning weights are tried
    /// first; when their repository refuses access (HTTP 401/403: its terms are not accepted or no token is set)
    /// or offline mode finds them uncached, the public weights are used instead and <see cref="HasVoiceCloning"/>
    /// is false, with a notice that says how to get voice cloning. This is the reference's fallback in
    /// <c>TTSModel._from_pydantic_config</c>, narrowed to those causes so that other errors are not hidden.
    /// </summary>
    /// <exception cref="ArgumentException">The references name no weights at all.</exception>
    /// <exception cref="HubException">A download failed.</exception>
    /// <exception cref="FileNotFoundException">A local path does not exist.</exception>
    public static async Task<ModelFiles> ResolveAsync(HubClient hub, ModelFileReferences references, IProgress<DownloadProgress>? progress = null,
                                                      CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Weights is null && references.WeightsWithoutVoiceCloning is null)
            throw new ArgumentException("The model configuration names no weights (weights_path or weights_path_without_voice_cloning).", nameof(references));

        Task<string> Resolve(string reference) => hub.ResolveAsync(reference, references.BaseDirectory, progress, cancellationToken);
        string? config = references.Config is null ? null : await Resolve(references.Config);
        var notices = new List<string>();
        string weights;
        bool voiceCloning = references.Weights is not null;
        if (references.Weights is null)
        {
            weights = await Resolve(references.WeightsWithoutVoiceCloning!);
            notices.Add("This model configuration has no weights with voice cloning; only predefined voices can be used.");
        }
        else
        {
            try
            {
                weights = await Resolve(references.Weights);
            }
            catch (HubException e) when (references.WeightsWithoutVoiceCloning is not null && IsRefusal(e))
            {
                weights = await Resolve(references.WeightsWithoutVoiceCloning);
                voiceCloning = false;
                notices.Add(FallbackNotice(hub.Options, references.Weights, e));
            }
        }
        string tokenizer = await Resolve(references.Tokenizer);
        return new ModelFiles(config, weights, tokenizer, voiceCloning, notices);
    }

    private static bool IsRefusal(HubException e) => e.StatusCode is 401 or 403 || e.Kind == HubErrorKind.Offline;

    private static string FallbackNotice(HubOptions options, string gatedReference, HubException cause)
    {
        string terms = HfPath.IsHfPath(gatedReference)
            ? $"accept the terms on {HfPath.Parse(gatedReference).RepoPageUri(options.Endpoint)} while logged in, then set HF_TOKEN to an access token of that account (or log in with `huggingface-cli login`)"
            : $"make {gatedReference} reachable";
        string why = cause.Kind == HubErrorKind.Offline
            ? "the weights with voice cloning are not cached and offline mode is on"
            : $"access to the weights with voice cloning was refused (HTTP {cause.StatusCode})";
        return $"Voice cloning is off: {why}, so the weights without voice cloning are used and only predefined voices work. " +
               $"To clone voices from audio, {terms}" + (cause.Kind == HubErrorKind.Offline ? ", and run once with network access." : ".");
    }
}
